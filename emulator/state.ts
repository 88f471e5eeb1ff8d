// The account the emulator serves: RAM users, AccessKeys, roles, custom policies and policy
// attachments (account or resource-group scope). STS sessions are not stored: the security token
// carries them, signed by this instance (see sessions.ts), so memory does not grow with AssumeRole.
import { SYSTEM_POLICIES, type PolicyDocument } from "./policy";
import { isoSeconds, newAccessKeyId, newAccessKeySecret, newPrincipalId } from "./ids";

export interface UserRecord {
  userName: string;
  userId: string;
  displayName: string;
  email: string;
  mobilePhone: string;
  comments: string;
  createDate: string;
  updateDate: string;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  accessKeySecret: string;
  /** undefined = the account's root key. */
  userName: string | undefined;
  status: "Active" | "Inactive";
  createDate: string;
  /** Epoch ms from which authentication accepts the key (faults.propagationDelayMs). */
  effectiveAt: number;
}

export interface RoleRecord {
  roleName: string;
  roleId: string;
  arn: string;
  assumeRolePolicyDocument: string;
  trustPolicy: PolicyDocument;
  description: string;
  maxSessionDuration: number;
  createDate: string;
  updateDate: string;
  /** Epoch ms from which AssumeRole finds the role. */
  effectiveAt: number;
}

export interface CustomPolicyRecord {
  policyName: string;
  description: string;
  policyDocument: string;
  document: PolicyDocument;
  createDate: string;
  updateDate: string;
}

export type PolicyType = "System" | "Custom";
export type PrincipalKind = "User" | "Role";

export interface AttachmentRecord {
  policyName: string;
  policyType: PolicyType;
  principalKind: PrincipalKind;
  principalName: string;
  /** The account ID for account scope, otherwise a resource group ID. */
  resourceGroupId: string;
  attachDate: string;
  /** Epoch ms from which the attachment grants anything. */
  effectiveAt: number;
}

/** RAM names are unique regardless of case (reference §2: role names match case-insensitively). */
const nameKey = (name: string): string => name.toLowerCase();

export class EmulatorState {
  readonly accountId: string;
  private readonly users = new Map<string, UserRecord>();
  private readonly accessKeys = new Map<string, AccessKeyRecord>();
  private readonly roles = new Map<string, RoleRecord>();
  private readonly rolesById = new Map<string, RoleRecord>();
  private readonly policies = new Map<string, CustomPolicyRecord>();
  private readonly attachments = new Map<string, AttachmentRecord[]>();

  constructor(accountId: string) {
    this.accountId = accountId;
  }

  // --- read helpers (also for tests) ---
  getUser(name: string): UserRecord | undefined {
    return this.users.get(nameKey(name));
  }
  listUsers(): UserRecord[] {
    return [...this.users.values()];
  }
  getAccessKey(accessKeyId: string): AccessKeyRecord | undefined {
    return this.accessKeys.get(accessKeyId);
  }
  /** Keys of a user, or the root keys when `userName` is undefined. */
  listAccessKeys(userName: string | undefined): AccessKeyRecord[] {
    const wanted = userName === undefined ? undefined : nameKey(userName);
    return [...this.accessKeys.values()].filter(
      (k) => (k.userName === undefined ? undefined : nameKey(k.userName)) === wanted,
    );
  }
  getRole(name: string): RoleRecord | undefined {
    return this.roles.get(nameKey(name));
  }
  getRoleById(roleId: string): RoleRecord | undefined {
    return this.rolesById.get(roleId);
  }
  listRoles(): RoleRecord[] {
    return [...this.roles.values()];
  }
  getCustomPolicy(name: string): CustomPolicyRecord | undefined {
    return this.policies.get(nameKey(name));
  }
  listCustomPolicies(): CustomPolicyRecord[] {
    return [...this.policies.values()];
  }
  /** Every attachment of a principal, all scopes. */
  attachmentsOf(kind: PrincipalKind, principalName: string): AttachmentRecord[] {
    return this.attachments.get(`${kind}:${nameKey(principalName)}`) ?? [];
  }
  listAttachments(): AttachmentRecord[] {
    return [...this.attachments.values()].flat();
  }
  /** The document of a system or custom policy, if it exists. */
  policyDocument(policyType: PolicyType, policyName: string): PolicyDocument | undefined {
    if (policyType === "System") return SYSTEM_POLICIES[policyName]?.document;
    return this.getCustomPolicy(policyName)?.document;
  }
  policyExists(policyType: PolicyType, policyName: string): boolean {
    return this.policyDocument(policyType, policyName) !== undefined;
  }
  /** The name as stored (system policy names are case-sensitive keys; custom ones are not). */
  canonicalPolicyName(policyType: PolicyType, policyName: string): string {
    if (policyType === "System") return policyName;
    return this.getCustomPolicy(policyName)?.policyName ?? policyName;
  }

  // --- mutations (handlers validate first) ---
  addUser(input: Omit<UserRecord, "userId" | "createDate" | "updateDate">, nowMs: number): UserRecord {
    const now = isoSeconds(nowMs);
    const user: UserRecord = { ...input, userId: newPrincipalId(), createDate: now, updateDate: now };
    this.users.set(nameKey(user.userName), user);
    return user;
  }
  deleteUser(name: string): void {
    this.users.delete(nameKey(name));
  }
  addAccessKey(userName: string | undefined, nowMs: number, effectiveAt: number): AccessKeyRecord {
    const key: AccessKeyRecord = {
      accessKeyId: newAccessKeyId(),
      accessKeySecret: newAccessKeySecret(),
      userName,
      status: "Active",
      createDate: isoSeconds(nowMs),
      effectiveAt,
    };
    this.accessKeys.set(key.accessKeyId, key);
    return key;
  }
  deleteAccessKey(accessKeyId: string): void {
    this.accessKeys.delete(accessKeyId);
  }
  addRole(
    input: Pick<
      RoleRecord,
      "roleName" | "assumeRolePolicyDocument" | "trustPolicy" | "description" | "maxSessionDuration"
    >,
    nowMs: number,
    effectiveAt: number,
  ): RoleRecord {
    const now = isoSeconds(nowMs);
    const role: RoleRecord = {
      ...input,
      roleId: newPrincipalId(),
      arn: `acs:ram::${this.accountId}:role/${input.roleName.toLowerCase()}`,
      createDate: now,
      updateDate: now,
      effectiveAt,
    };
    this.roles.set(nameKey(role.roleName), role);
    this.rolesById.set(role.roleId, role);
    return role;
  }
  deleteRole(name: string): void {
    const role = this.getRole(name);
    if (!role) return;
    this.roles.delete(nameKey(name));
    this.rolesById.delete(role.roleId);
  }
  addCustomPolicy(
    input: Pick<CustomPolicyRecord, "policyName" | "description" | "policyDocument" | "document">,
    nowMs: number,
  ): CustomPolicyRecord {
    const now = isoSeconds(nowMs);
    const policy: CustomPolicyRecord = { ...input, createDate: now, updateDate: now };
    this.policies.set(nameKey(policy.policyName), policy);
    return policy;
  }
  deleteCustomPolicy(name: string): void {
    this.policies.delete(nameKey(name));
  }
  findAttachment(
    kind: PrincipalKind,
    principalName: string,
    policyType: PolicyType,
    policyName: string,
    resourceGroupId: string,
  ): AttachmentRecord | undefined {
    return this.attachmentsOf(kind, principalName).find(
      (a) =>
        a.policyType === policyType &&
        nameKey(a.policyName) === nameKey(policyName) &&
        a.resourceGroupId === resourceGroupId,
    );
  }
  addAttachment(record: AttachmentRecord): void {
    const key = `${record.principalKind}:${nameKey(record.principalName)}`;
    const list = this.attachments.get(key);
    if (list) list.push(record);
    else this.attachments.set(key, [record]);
  }
  removeAttachment(record: AttachmentRecord): void {
    const key = `${record.principalKind}:${nameKey(record.principalName)}`;
    const remaining = (this.attachments.get(key) ?? []).filter((a) => a !== record);
    if (remaining.length > 0) this.attachments.set(key, remaining);
    else this.attachments.delete(key);
  }
  /** Attachments (any principal) of one policy. */
  attachmentsOfPolicy(policyType: PolicyType, policyName: string): AttachmentRecord[] {
    return this.listAttachments().filter(
      (a) => a.policyType === policyType && nameKey(a.policyName) === nameKey(policyName),
    );
  }
}
