import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import type { RolePolicyScope, Settings } from "./config";
import {
  type PolicyDocument,
  type PolicyRef,
  type TrustConditions,
  type TrustSpec,
  scopedAssumeRolePolicy,
  serializePolicy,
  trustPolicy,
} from "./policies";

export interface VodStsAccessArgs {
  /** RAM user holding the permanent AccessKey (recipe: `vod`). Always set: the provider would auto-name it. */
  readonly userName: string;
  /** RAM role the user assumes (recipe: `vodrole`); renaming it replaces the role. */
  readonly roleName: string;
  readonly roleDescription: string;
  /** Longest token lifetime in seconds, 3600–43200. */
  readonly maxSessionDuration: number;
  /** Who may assume the role (at least one principal). */
  readonly trust: TrustSpec;
  /** Conditions on the trust statement (ExternalId, source IPs). */
  readonly trustConditions: TrustConditions;
  /** "scoped": the user may assume this role only (a custom policy on its ARN). */
  readonly assumeRolePermission: "system" | "scoped";
  readonly userPolicies: readonly PolicyRef[];
  readonly rolePolicies: readonly PolicyRef[];
  /** Account scope (RolePolicyAttachment) or a resource group (resourcemanager.PolicyAttachment). */
  readonly rolePolicyScope: RolePolicyScope;
  /** AccessKey labels, oldest first; one, or two while rotating. The last is the current key. */
  readonly accessKeys: readonly string[];
  /** PGP key: the secret is then exported only encrypted. */
  readonly pgpKey?: string;
  /** Protect user, keys and role from deletion. */
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** Account to build ARNs for; by default the deployer's, from getCallerIdentity. */
  readonly accountId?: pulumi.Input<string>;
}

/** The component's arguments from validated stack settings. */
export function vodStsAccessArgs(settings: Settings): VodStsAccessArgs {
  return {
    userName: settings.userName,
    roleName: settings.roleName,
    roleDescription: settings.roleDescription,
    maxSessionDuration: settings.maxSessionDuration,
    trust: settings.trust,
    trustConditions: { externalId: settings.externalId, allowedSourceIps: settings.allowedSourceIps },
    assumeRolePermission: settings.assumeRolePermission,
    userPolicies: settings.userPolicies,
    rolePolicies: settings.rolePolicies,
    rolePolicyScope: settings.rolePolicyScope,
    accessKeys: settings.accessKeys,
    pgpKey: settings.pgpKey,
    protect: settings.protect,
    tags: settings.tags,
  };
}

/** RAM policy names allow letters, digits and '-' only (reference §4). */
const policyNameFrom = (...parts: string[]): string =>
  parts
    .join("-")
    .replace(/[^A-Za-z0-9-]/g, "-")
    .slice(0, 128);

/**
 * Alibaba's "obtain an STS token" recipe as one component: a RAM user with an AccessKey and the
 * right to call AssumeRole, and a RAM role that trusts it and carries the VOD permissions.
 */
export class VodStsAccess extends pulumi.ComponentResource {
  public readonly accountId: pulumi.Output<string>;
  public readonly user: alicloud.ram.User;
  public readonly accessKeys: readonly alicloud.ram.AccessKey[];
  public readonly role: alicloud.ram.Role;
  public readonly userName: pulumi.Output<string>;
  /** The newest AccessKey's ID. */
  public readonly accessKeyId: pulumi.Output<string>;
  /** The newest AccessKey's secret, as a Pulumi secret; undefined with a PGP key. */
  public readonly accessKeySecret: pulumi.Output<string | undefined>;
  /** With a PGP key: the encrypted secret and the key's fingerprint. */
  public readonly accessKeyEncryptedSecret: pulumi.Output<string | undefined>;
  public readonly accessKeyFingerprint: pulumi.Output<string | undefined>;
  public readonly roleName: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  /** "account" or the resource group ID. */
  public readonly rolePolicyScope: string;

  constructor(name: string, args: VodStsAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vod-sts:index:VodStsAccess", name, {}, opts);
    const child = { parent: this };
    const guarded = { parent: this, protect: args.protect };
    const tags = Object.keys(args.tags).length > 0 ? { ...args.tags } : undefined;

    this.accountId = args.accountId
      ? pulumi.output(args.accountId)
      : alicloud.getCallerIdentityOutput({ parent: this }).accountId;
    const accountId = this.accountId;

    // No ram.LoginProfile: programmatic access only (recipe Step 1, "Using permanent AccessKey").
    // force: destroy removes the user's keys and attachments instead of failing on them.
    this.user = new alicloud.ram.User(
      `${name}-user`,
      { name: args.userName, comments: "Holds the AccessKey that assumes the VOD role", force: true, tags },
      guarded,
    );

    if (args.accessKeys.length === 0)
      throw new Error("VodStsAccess: at least one AccessKey label is required");
    this.accessKeys = args.accessKeys.map(
      (label) =>
        new alicloud.ram.AccessKey(
          `${name}-key-${label}`,
          { userName: this.user.name, ...(args.pgpKey ? { pgpKey: args.pgpKey } : {}) },
          // The secret exists only in the provider's create response; never `secretFile`.
          { ...guarded, additionalSecretOutputs: ["secret"] },
        ),
    );
    const currentKey = this.accessKeys[this.accessKeys.length - 1];

    args.userPolicies.forEach((ref, index) => {
      const { policyName, policyType } = this.policyFor(name, "user", args.userName, ref, index, child);
      new alicloud.ram.UserPolicyAttachment(
        `${name}-user-${ref.type === "System" ? ref.name : `custom-${index + 1}`}`,
        { policyName, policyType, userName: this.user.name },
        child,
      );
    });
    if (args.assumeRolePermission === "scoped") {
      const assumeThisRole = new alicloud.ram.Policy(
        `${name}-assume-role-policy`,
        {
          policyName: policyNameFrom(args.userName, "assume", args.roleName),
          description: `Allows sts:AssumeRole on ${args.roleName} only`,
          policyDocument: accountId.apply((uid) =>
            serializePolicy(scopedAssumeRolePolicy(uid, args.roleName)),
          ),
          rotateStrategy: "DeleteOldestNonDefaultVersionWhenLimitExceeded",
        },
        child,
      );
      new alicloud.ram.UserPolicyAttachment(
        `${name}-user-assume-role`,
        { policyName: assumeThisRole.policyName, policyType: "Custom", userName: this.user.name },
        child,
      );
    }

    this.role = new alicloud.ram.Role(
      `${name}-role`,
      {
        roleName: args.roleName,
        description: args.roleDescription,
        maxSessionDuration: args.maxSessionDuration,
        assumeRolePolicyDocument: accountId.apply((uid) =>
          serializePolicy(trustPolicy(uid, args.userName, args.trust, args.trustConditions)),
        ),
        force: true,
        tags,
      },
      // A trust policy may name only principals that exist: create the user first.
      { ...guarded, dependsOn: args.trust.createdUser ? [this.user] : [] },
    );

    args.rolePolicies.forEach((ref, index) => {
      const { policyName, policyType } = this.policyFor(name, "role", args.roleName, ref, index, child);
      const attachmentName = `${name}-role-${ref.type === "System" ? ref.name : `custom-${index + 1}`}`;
      if (args.rolePolicyScope.kind === "account") {
        new alicloud.ram.RolePolicyAttachment(
          attachmentName,
          { policyName, policyType, roleName: this.role.roleName },
          child,
        );
      } else {
        // Resource-group grants name the role as a service-role principal (reference §5).
        new alicloud.resourcemanager.PolicyAttachment(
          attachmentName,
          {
            policyName,
            policyType,
            principalType: "ServiceRole",
            principalName: pulumi.interpolate`${this.role.roleName}@role.${accountId}.onaliyunservice.com`,
            resourceGroupId: args.rolePolicyScope.id,
          },
          child,
        );
      }
    });

    this.userName = this.user.name;
    this.accessKeyId = currentKey.id;
    this.accessKeySecret = args.pgpKey ? pulumi.output(undefined) : pulumi.secret(currentKey.secret);
    this.accessKeyEncryptedSecret = args.pgpKey ? currentKey.encryptedSecret : pulumi.output(undefined);
    this.accessKeyFingerprint = args.pgpKey ? currentKey.keyFingerprint : pulumi.output(undefined);
    this.roleName = this.role.roleName;
    this.roleArn = this.role.arn;
    this.rolePolicyScope = args.rolePolicyScope.kind === "account" ? "account" : args.rolePolicyScope.id;

    this.registerOutputs({
      accountId: this.accountId,
      userName: this.userName,
      accessKeyId: this.accessKeyId,
      accessKeySecret: this.accessKeySecret,
      roleName: this.roleName,
      roleArn: this.roleArn,
      rolePolicyScope: this.rolePolicyScope,
    });
  }

  /** A system policy by name, or a custom policy created from its document. */
  private policyFor(
    name: string,
    owner: "user" | "role",
    ownerName: string,
    ref: PolicyRef,
    index: number,
    child: pulumi.CustomResourceOptions,
  ): { policyName: pulumi.Input<string>; policyType: "System" | "Custom" } {
    if (ref.type === "System") return { policyName: ref.name, policyType: "System" };
    const document: PolicyDocument = ref.document;
    const policy = new alicloud.ram.Policy(
      `${name}-${owner}-policy-${index + 1}`,
      {
        policyName: policyNameFrom(ownerName, "custom", String(index + 1)),
        description: `Custom policy ${index + 1} of ${owner} ${ownerName} (vod-sts)`,
        policyDocument: serializePolicy(document),
        rotateStrategy: "DeleteOldestNonDefaultVersionWhenLimitExceeded",
      },
      child,
    );
    return { policyName: policy.policyName, policyType: "Custom" };
  }
}
