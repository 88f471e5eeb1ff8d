/**
 * The stack outputs: a contract between the Pulumi program (infra/), verify/, local/ and the
 * workflows. Plain types only — verify must load without any Pulumi module.
 */
export interface StackOutputs {
  /** The Alibaba Cloud account ID (16 digits) the resources live in. */
  accountId: string;
  /** The RAM user that holds the permanent AccessKey (recipe: `vod`). */
  userName: string;
  /** The newest AccessKey ID of that user. */
  accessKeyId: string;
  /** Its secret — a Pulumi secret; absent when `pgpKey` is set (then `encryptedSecret`). */
  accessKeySecret?: string;
  /** With `pgpKey`: the secret, PGP-encrypted (base64), and the PGP key's fingerprint. */
  accessKeyEncryptedSecret?: string;
  accessKeyFingerprint?: string;
  /** The RAM role the user assumes (recipe: `vodrole`). */
  roleName: string;
  /** `acs:ram::<accountId>:role/<roleName>`. */
  roleArn: string;
  /** The region the stack was deployed for (`alicloud:region`). */
  region: string;
  /** `account`, or the resource group ID the role's permissions are scoped to. */
  rolePolicyScope: string;
}

/** Output names in the order they are exported; workflows and verify read these names. */
export const STACK_OUTPUT_NAMES = [
  "accountId",
  "userName",
  "accessKeyId",
  "accessKeySecret",
  "accessKeyEncryptedSecret",
  "accessKeyFingerprint",
  "roleName",
  "roleArn",
  "region",
  "rolePolicyScope",
] as const satisfies ReadonlyArray<keyof StackOutputs>;

/** Outputs that are Pulumi secrets. */
export const SECRET_OUTPUT_NAMES: ReadonlyArray<keyof StackOutputs> = ["accessKeySecret"];
