// Every error the emulator answers, in one table: HTTP status and message as documented in
// reference/alibaba-api.md §3. Rows marked "approximated" use Alibaba's naming pattern where the
// docs give no exact text; the README lists them.

export type Product = "Sts" | "Ram" | "Vod" | "ResourceManager";

interface ErrorSpec {
  status: number;
  message: string;
}

export const ERRORS = {
  // --- STS AssumeRole parameters (reference §3) ---
  "InvalidParameter.DurationSeconds": {
    status: 400,
    message: "The Min/Max value of DurationSeconds is 15min/1hr.",
  },
  "InvalidParameter.RoleArn": { status: 400, message: "The parameter RoleArn is wrongly formed." },
  "InvalidParameter.RoleSessionName": {
    status: 400,
    message: "The parameter RoleSessionName is wrongly formed.",
  },
  "InvalidParameter.ExternalId": { status: 400, message: "The parameter ExternalId is wrongly formed." },
  // approximated: same pattern as the other AssumeRole parameters
  "InvalidParameter.SourceIdentity": {
    status: 400,
    message: "The parameter SourceIdentity is wrongly formed.",
  },
  "InvalidParameter.PolicyGrammar": {
    status: 400,
    message: "The parameter Policy has not passed grammar check.",
  },
  "InvalidParameter.PolicySize": {
    status: 400,
    message: "The size of Policy must be smaller than 2048 bytes.",
  },
  NoPermission: {
    status: 403,
    message: "You are not authorized to do this action. You should be authorized by RAM.",
  },
  "EntityNotExist.Role": { status: 404, message: "The specified Role not exists ." },
  InternalError: {
    status: 500,
    message: "STS Server Internal Error happened, please send the RequestId to us.",
  },
  // approximated: the generic POP gateway text
  ServiceUnavailable: {
    status: 503,
    message: "The request has failed due to a temporary failure of the server.",
  },

  // --- authentication (reference §3) ---
  "InvalidAccessKeyId.NotFound": { status: 404, message: "Specified access key is not found." },
  "InvalidAccessKeyId.Inactive": { status: 400, message: "Specified access key is disabled." },
  SignatureDoesNotMatch: { status: 400, message: "Specified signature does not match our calculation." },
  IncompleteSignature: {
    status: 400,
    message: "The request signature does not conform to Aliyun standards.",
  },
  "InvalidTimeStamp.Expired": { status: 400, message: "Specified time stamp or date value is expired." },
  // approximated: POP gateway wording
  "InvalidTimeStamp.Format": {
    status: 400,
    message: "Specified time stamp or date value is not well formatted.",
  },
  SignatureNonceUsed: { status: 400, message: "Specified signature nonce was used already." },
  MissingSecurityToken: { status: 400, message: "SecurityToken is mandatory for this action." },
  // statuses UNSURE in the reference: 400 like the other credential errors
  "InvalidSecurityToken.Expired": { status: 400, message: "Specified SecurityToken is expired." },
  "InvalidSecurityToken.Malformed": { status: 400, message: "Specified SecurityToken is malformed." },
  "InvalidSecurityToken.MismatchWithAccessKey": {
    status: 400,
    message: "Specified SecurityToken mismatch with the AccessKey.",
  },
  "Throttling.User": { status: 400, message: "Request was denied due to user flow control." },
  // VOD lookups (reference §6; the codes VOD documents for GetVideoInfo/GetCategories — UNSURE for
  // RefreshUploadVideo and GetPlayInfo).
  "InvalidCateId.NotFound": { status: 404, message: "The specified CateId does not exist." },
  "InvalidVideo.NotFound": { status: 404, message: "The video does not exist." },
  "InvalidVideo.NoneStream": { status: 404, message: "The video has no playable stream yet." },
  "Forbidden.RAM": {
    status: 403,
    message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
  },
  "InvalidAction.NotFound": {
    status: 404,
    message: "Specified api is not found, please check your url and method.",
  },
  InvalidVersion: { status: 400, message: "Specified parameter Version is not valid." },

  // --- transport (approximated: the gateway's own codes are not documented) ---
  RequestEntityTooLarge: { status: 413, message: "The request body is larger than 65536 bytes." },
  "InvalidParameter.Encoding": { status: 400, message: "The request is not valid UTF-8." },
  "InvalidParameter.Format": { status: 400, message: "The request could not be parsed." },

  // --- RAM (reference §3 and §4; texts not given there are approximated) ---
  "EntityNotExist.User": { status: 404, message: "The user does not exist." },
  "EntityAlreadyExists.User": { status: 409, message: "The user does already exist." },
  "EntityAlreadyExists.Role": { status: 409, message: "The role does already exist." },
  "EntityNotExist.Policy": { status: 404, message: "The policy does not exist." },
  "EntityAlreadyExists.Policy": { status: 409, message: "The policy does already exist." },
  "EntityNotExist.User.AccessKey": { status: 404, message: "The access key does not exist." },
  "EntityAlreadyExists.User.Policy": { status: 409, message: "The policy has been attached to the user." },
  "EntityAlreadyExists.Role.Policy": { status: 409, message: "The policy has been attached to the role." },
  "EntityNotExist.User.Policy": { status: 404, message: "The policy is not attached to the user." },
  "EntityNotExist.Role.Policy": { status: 404, message: "The policy is not attached to the role." },
  "LimitExceeded.User.AccessKey": {
    status: 409,
    message: "The access key count of the user access keys beyond the current limits.",
  },
  MalformedPolicyDocument: { status: 400, message: "The policy document is malformed." },
  "LimitExceeded.Policy.Size": { status: 409, message: "The policy document exceeds 6144 bytes." },
  "DeleteConflict.User.AccessKey": { status: 409, message: "The user has access keys, delete them first." },
  "DeleteConflict.User.Policy": {
    status: 409,
    message: "The user has attached policies, detach them first.",
  },
  "DeleteConflict.Role.Policy": {
    status: 409,
    message: "The role has attached policies, detach them first.",
  },
  "DeleteConflict.Policy.Attachment": {
    status: 409,
    message: "The policy is attached to principals; detach it first or set CascadingDelete=true.",
  },
  "DeleteConflict.Policy.Version": { status: 409, message: "A system policy cannot be deleted." },

  // --- ResourceManager (approximated) ---
  "EntityNotExists.ResourceGroup": { status: 404, message: "The resource group does not exist." },
  "EntityAlreadyExists.PolicyAttachment": { status: 409, message: "The policy attachment already exists." },
  "EntityNotExists.PolicyAttachment": { status: 404, message: "The policy attachment does not exist." },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export interface AccessDeniedDetail {
  AuthAction: string;
  AuthPrincipalType: string;
  AuthPrincipalDisplayName: string;
  AuthPrincipalOwnerId: string;
  NoPermissionType: "ImplicitDeny" | "ExplicitDeny";
  PolicyType: string;
}

/** An error answered to the client. `code` is free-form only for the `Missing<Name>` / `InvalidParameter.<Name>` families. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly headers: Record<string, string> | undefined;
  readonly accessDeniedDetail: AccessDeniedDetail | undefined;

  constructor(
    code: string,
    status: number,
    message: string,
    extra?: { headers?: Record<string, string>; accessDeniedDetail?: AccessDeniedDetail },
  ) {
    super(message);
    this.code = code;
    this.status = status;
    this.headers = extra?.headers;
    this.accessDeniedDetail = extra?.accessDeniedDetail;
  }
}

/** The table's error; `detail` is appended to the documented message (never a secret). */
export function apiError(
  code: ErrorCode,
  detail?: string,
  extra?: { headers?: Record<string, string>; accessDeniedDetail?: AccessDeniedDetail },
): ApiError {
  const spec: ErrorSpec = ERRORS[code];
  return new ApiError(code, spec.status, detail ? `${spec.message} ${detail}` : spec.message, extra);
}

/** `Missing<Name>` — the POP gateway's form for an absent required parameter (reference §3, UNSURE form). */
export function missingParameter(name: string): ApiError {
  return new ApiError(`Missing${name}`, 400, `${name} is mandatory for this action.`);
}

/** `InvalidParameter.<Name>` for parameters the table does not name (approximated). */
export function invalidParameter(name: string, allowed: string): ApiError {
  return new ApiError(`InvalidParameter.${name}`, 400, `The parameter ${name} is wrongly formed: ${allowed}`);
}

const HOSTS: Record<Product, string> = {
  Sts: "sts.aliyuncs.com",
  Ram: "ram.aliyuncs.com",
  Vod: "vod.aliyuncs.com",
  ResourceManager: "resourcemanager.aliyuncs.com",
};

/** The JSON body Alibaba answers for every error (reference §3, "Error body"). */
export function errorBody(error: ApiError, requestId: string, product: Product): Record<string, unknown> {
  const body: Record<string, unknown> = {
    RequestId: requestId,
    HostId: HOSTS[product],
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${product}&requestId=${requestId}`,
  };
  if (error.accessDeniedDetail) body.AccessDeniedDetail = error.accessDeniedDetail;
  return body;
}
