/**
 * A provider for Pulumi's mock runtime that realises each alicloud resource in the local emulator
 * through the official RAM and ResourceManager clients, returning the ids and outputs the real
 * provider returns. A type it does not know fails the run: never a silent fake.
 */
import * as $OpenApi from "@alicloud/openapi-core";
import Ram, * as $Ram from "@alicloud/ram20150501";
import type ResourceManager from "@alicloud/resourcemanager20200331";
import type * as $Rm from "@alicloud/resourcemanager20200331";
import Sts from "@alicloud/sts20150401";
import type * as pulumi from "@pulumi/pulumi";

/** Pulumi's mock interface passes untyped property bags; inputs are read field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PropertyBag = Record<string, any>;

export interface EmulatorTarget {
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
}

/** What the run created, for the summary table and for tests. */
export interface CreatedResource {
  type: string;
  name: string;
  id: string;
}

/** A resource as the provider left it: what a later run against the same emulator starts from. */
export interface ResourceRecord extends CreatedResource {
  inputs: PropertyBag;
  state: PropertyBag;
}

/** Stable text of a property bag, for "did the inputs change" between runs. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as PropertyBag).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

export class UnsupportedResourceError extends Error {
  override name = "UnsupportedResourceError";
}

const COMPONENT_TYPES = new Set(["vod-sts:index:VodStsAccess"]);

/**
 * Runs against the same emulator behave like successive `pulumi up`s: a resource declared again
 * with the same inputs is kept, one no longer declared is deleted by `deleteUndeclared()`. That is
 * what key rotation needs (add a key label, then remove the old one). Changing a resource's inputs
 * in place is not supported: start from a fresh emulator instead.
 */
export class EmulatorProvider implements pulumi.runtime.Mocks {
  /** Resources declared by this run, in registration order (kept ones included). */
  readonly created: ResourceRecord[] = [];
  /** Failures seen by the hooks; the runtime reports them only as log lines, so the runner rethrows. */
  readonly failures: Error[] = [];
  private readonly ram: Ram;
  private readonly clientConfig: () => $OpenApi.$OpenApiUtil.Config;
  private resourceManagerClient: { client: ResourceManager; models: typeof $Rm } | undefined;
  private readonly sts: Sts;

  private readonly previous: ReadonlyMap<string, ResourceRecord>;

  constructor(target: EmulatorTarget, previous: readonly ResourceRecord[] = []) {
    this.previous = new Map(previous.map((r) => [r.name, r]));
    const config = (): $OpenApi.$OpenApiUtil.Config =>
      new $OpenApi.$OpenApiUtil.Config({
        accessKeyId: target.accessKeyId,
        accessKeySecret: target.accessKeySecret,
        endpoint: target.endpoint,
        protocol: "http",
        regionId: "cn-hangzhou",
      });
    this.ram = new Ram(config());
    this.clientConfig = config;
    this.sts = new Sts(config());
  }

  async newResource(args: pulumi.runtime.MockResourceArgs): Promise<{ id: string; state: PropertyBag }> {
    try {
      const kept = this.previous.get(args.name);
      if (kept && kept.type === args.type) {
        if (canonical(kept.inputs) !== canonical(args.inputs)) {
          throw new UnsupportedResourceError(
            `npm run local cannot change ${args.type} "${args.name}" in place: start a fresh emulator for new settings`,
          );
        }
        this.created.push(kept);
        return { id: kept.id, state: kept.state };
      }
      const result = await this.create(args.type, args.inputs);
      this.created.push({
        type: args.type,
        name: args.name,
        id: result.id,
        inputs: args.inputs,
        state: result.state,
      });
      return result;
    } catch (error) {
      const wrapped =
        error instanceof UnsupportedResourceError
          ? error
          : new Error(
              `creating ${args.type} "${args.name}" in the emulator failed: ${(error as Error).message}`,
            );
      this.failures.push(wrapped);
      throw wrapped;
    }
  }

  /** Deletes what an earlier run created and this one no longer declares, newest first. */
  async deleteUndeclared(): Promise<ResourceRecord[]> {
    const declared = new Set(this.created.map((r) => r.name));
    const stale = [...this.previous.values()].filter((r) => !declared.has(r.name)).reverse();
    for (const record of stale) await this.delete(record);
    return stale;
  }

  async call(args: pulumi.runtime.MockCallArgs): Promise<PropertyBag> {
    if (args.token === "alicloud:index/getCallerIdentity:getCallerIdentity") {
      const { body } = await this.sts.getCallerIdentity();
      return {
        accountId: body?.accountId,
        arn: body?.arn,
        id: body?.accountId,
        identityType: body?.identityType,
      };
    }
    const error = new UnsupportedResourceError(
      `npm run local cannot answer the invoke ${args.token}: the local provider knows only getCallerIdentity`,
    );
    this.failures.push(error);
    throw error;
  }

  /** The ResourceManager SDK is large; only resource-group-scoped stacks load it. */
  private resourceManager(): { client: ResourceManager; models: typeof $Rm } {
    if (!this.resourceManagerClient) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const models = require("@alicloud/resourcemanager20200331") as typeof $Rm & {
        default: typeof ResourceManager;
      };
      this.resourceManagerClient = { client: new models.default(this.clientConfig()), models };
    }
    return this.resourceManagerClient;
  }

  private async delete(record: ResourceRecord): Promise<void> {
    const { inputs } = record;
    switch (record.type) {
      case "alicloud:ram/accessKey:AccessKey":
        await this.ram.deleteAccessKey(
          new $Ram.DeleteAccessKeyRequest({ userAccessKeyId: record.id, userName: inputs.userName }),
        );
        return;
      case "alicloud:ram/userPolicyAttachment:UserPolicyAttachment":
        await this.ram.detachPolicyFromUser(
          new $Ram.DetachPolicyFromUserRequest({
            policyName: inputs.policyName,
            policyType: inputs.policyType,
            userName: inputs.userName,
          }),
        );
        return;
      case "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment":
        await this.ram.detachPolicyFromRole(
          new $Ram.DetachPolicyFromRoleRequest({
            policyName: inputs.policyName,
            policyType: inputs.policyType,
            roleName: inputs.roleName,
          }),
        );
        return;
      case "alicloud:ram/policy:Policy":
        await this.ram.deletePolicy(new $Ram.DeletePolicyRequest({ policyName: inputs.policyName }));
        return;
      case "alicloud:ram/role:Role":
        await this.ram.deleteRole(new $Ram.DeleteRoleRequest({ roleName: inputs.roleName }));
        return;
      case "alicloud:ram/user:User":
        await this.ram.deleteUser(new $Ram.DeleteUserRequest({ userName: inputs.name }));
        return;
      case "alicloud:resourcemanager/policyAttachment:PolicyAttachment":
        const rm = this.resourceManager();
        await rm.client.detachPolicy(
          new rm.models.DetachPolicyRequest({
            policyName: inputs.policyName,
            policyType: inputs.policyType,
            principalName: inputs.principalName,
            principalType: inputs.principalType,
            resourceGroupId: inputs.resourceGroupId,
          }),
        );
        return;
      default:
        return; // components own no cloud resource
    }
  }

  private async create(type: string, inputs: PropertyBag): Promise<{ id: string; state: PropertyBag }> {
    if (COMPONENT_TYPES.has(type)) return { id: "", state: {} };
    switch (type) {
      case "alicloud:ram/user:User": {
        // User tags go through RAM TagResources with the real provider; the emulator has no tag
        // API, so they are not sent (they change no permission).
        const { body } = await this.ram.createUser(
          new $Ram.CreateUserRequest({
            userName: inputs.name,
            comments: inputs.comments,
            displayName: inputs.displayName,
          }),
        );
        // The provider's id is the numeric UserId.
        return { id: body!.user!.userId!, state: { ...inputs, name: body!.user!.userName } };
      }
      case "alicloud:ram/accessKey:AccessKey": {
        if (typeof inputs.pgpKey === "string" && inputs.pgpKey.startsWith("keybase:")) {
          throw new UnsupportedResourceError(
            "pgpKey: keybase: keys need the keybase service; give npm run local a base64-encoded public key",
          );
        }
        const { body } = await this.ram.createAccessKey(
          new $Ram.CreateAccessKeyRequest({ userName: inputs.userName }),
        );
        const key = body!.accessKey!;
        if (inputs.pgpKey) {
          // As the real provider does: only the encrypted secret and the key fingerprint come back.
          const encrypted = await encryptForPgpKey(String(inputs.pgpKey), key.accessKeySecret!);
          return { id: key.accessKeyId!, state: { ...inputs, ...encrypted, status: key.status } };
        }
        return {
          id: key.accessKeyId!,
          state: { ...inputs, secret: key.accessKeySecret, status: key.status },
        };
      }
      case "alicloud:ram/role:Role": {
        const tags = Object.entries((inputs.tags ?? {}) as Record<string, string>).map(
          ([key, value]) => new $Ram.CreateRoleRequestTag({ key, value }),
        );
        const { body } = await this.ram.createRole(
          new $Ram.CreateRoleRequest({
            roleName: inputs.roleName,
            assumeRolePolicyDocument: inputs.assumeRolePolicyDocument,
            description: inputs.description,
            maxSessionDuration: inputs.maxSessionDuration,
            ...(tags.length > 0 ? { tag: tags } : {}),
          }),
        );
        const role = body!.role!;
        // The provider's id is the role name; arn and roleId are computed outputs.
        return { id: role.roleName!, state: { ...inputs, arn: role.arn, roleId: role.roleId } };
      }
      case "alicloud:ram/policy:Policy": {
        await this.ram.createPolicy(
          new $Ram.CreatePolicyRequest({
            policyName: inputs.policyName,
            policyDocument: inputs.policyDocument,
            description: inputs.description,
          }),
        );
        return { id: inputs.policyName, state: { ...inputs, type: "Custom" } };
      }
      case "alicloud:ram/userPolicyAttachment:UserPolicyAttachment": {
        await this.ram.attachPolicyToUser(
          new $Ram.AttachPolicyToUserRequest({
            policyName: inputs.policyName,
            policyType: inputs.policyType,
            userName: inputs.userName,
          }),
        );
        return {
          id: `user:${inputs.policyName}:${inputs.policyType}:${inputs.userName}`,
          state: { ...inputs },
        };
      }
      case "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment": {
        await this.ram.attachPolicyToRole(
          new $Ram.AttachPolicyToRoleRequest({
            policyName: inputs.policyName,
            policyType: inputs.policyType,
            roleName: inputs.roleName,
          }),
        );
        return {
          id: `role:${inputs.policyName}:${inputs.policyType}:${inputs.roleName}`,
          state: { ...inputs },
        };
      }
      case "alicloud:resourcemanager/policyAttachment:PolicyAttachment": {
        const rm = this.resourceManager();
        await rm.client.attachPolicy(
          new rm.models.AttachPolicyRequest({
            policyName: inputs.policyName,
            policyType: inputs.policyType,
            principalName: inputs.principalName,
            principalType: inputs.principalType,
            resourceGroupId: inputs.resourceGroupId,
          }),
        );
        return {
          id: [
            inputs.policyName,
            inputs.policyType,
            inputs.principalName,
            inputs.principalType,
            inputs.resourceGroupId,
          ].join(":"),
          state: { ...inputs },
        };
      }
      default:
        throw new UnsupportedResourceError(
          `npm run local cannot create resources of type ${type}: the local provider knows ` +
            `${[...KNOWN_TYPES].join(", ")}`,
        );
    }
  }
}

/**
 * PGP-encrypts an AccessKey secret for a base64-encoded (binary, not armored) public key, the form
 * the alicloud provider takes, and returns the base64 message and the key's fingerprint.
 * openpgp is loaded only when a run uses pgpKey.
 */
export async function encryptForPgpKey(
  base64PublicKey: string,
  secret: string,
): Promise<{ encryptedSecret: string; keyFingerprint: string }> {
  const openpgp = await import("openpgp");
  let publicKey;
  try {
    publicKey = await openpgp.readKey({
      binaryKey: Buffer.from(base64PublicKey.replace(/\s+/g, ""), "base64"),
    });
  } catch (error) {
    throw new UnsupportedResourceError(
      `pgpKey is not a readable PGP public key: ${(error as Error).message}`,
    );
  }
  const message = await openpgp.encrypt({
    message: await openpgp.createMessage({ text: secret }),
    encryptionKeys: publicKey,
    format: "binary",
  });
  return {
    encryptedSecret: Buffer.from(message).toString("base64"),
    keyFingerprint: publicKey.getFingerprint(),
  };
}

export const KNOWN_TYPES: ReadonlySet<string> = new Set([
  "alicloud:ram/user:User",
  "alicloud:ram/accessKey:AccessKey",
  "alicloud:ram/role:Role",
  "alicloud:ram/policy:Policy",
  "alicloud:ram/userPolicyAttachment:UserPolicyAttachment",
  "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment",
  "alicloud:resourcemanager/policyAttachment:PolicyAttachment",
]);
