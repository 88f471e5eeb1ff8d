// The RAM policy language as the emulator stores it (reference/alibaba-api.md §4, "Policy language").

export type Effect = "Allow" | "Deny";

export interface PolicyStatement {
  Effect: Effect;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: { RAM?: string | string[]; Service?: string | string[]; Federated?: string | string[] } | "*";
  Condition?: Record<string, Record<string, string | string[] | boolean | boolean[]>>;
}

export interface PolicyDocument {
  Version: "1";
  Statement: PolicyStatement[];
}

export type PolicyKind = "identity" | "trust" | "session";

export type ParseResult =
  { ok: true; document: PolicyDocument } | { ok: false; reason: string; tooLarge?: boolean };

export type Decision = "Allow" | "ImplicitDeny" | "ExplicitDeny";

/** Condition keys seen in a request, e.g. {"acs:SourceIp":"127.0.0.1","acs:SecureTransport":false}. Undefined = key absent. */
export type ConditionContext = Record<string, string | boolean | undefined>;

export interface AuthzRequest {
  action: string;
  resource: string;
  context: ConditionContext;
}

export interface Principal {
  kind: "Account" | "RAMUser" | "AssumedRoleUser";
  accountId: string;
  userName?: string;
  roleName?: string;
}
