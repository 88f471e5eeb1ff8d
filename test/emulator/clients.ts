// Official, unmodified Alibaba Cloud clients pointed at an emulator (reference/alibaba-api.md §1).
import OpenApi, { $OpenApiUtil } from "@alicloud/openapi-core";
import Ram from "@alicloud/ram20150501";
import ResourceManager from "@alicloud/resourcemanager20200331";
import Sts from "@alicloud/sts20150401";
// pop-core has no types worth importing for a test; its RPCClient is used as documented.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PopCore = require("@alicloud/pop-core") as new (config: Record<string, unknown>) => {
  request(
    action: string,
    params: Record<string, unknown>,
    opts?: Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
};

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
process.env.ALIBABA_CLOUD_CLI_PROFILE_DISABLED = "true";

export interface Keys {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface ClientOptions {
  /** "v2" selects the HMAC-SHA1 RPC signature (openapi-core `signatureAlgorithm`). */
  signatureAlgorithm?: "v2";
  readTimeout?: number;
}

function config(endpoint: string, keys: Keys, options: ClientOptions = {}): $OpenApiUtil.Config {
  return new $OpenApiUtil.Config({
    accessKeyId: keys.accessKeyId,
    accessKeySecret: keys.accessKeySecret,
    securityToken: keys.securityToken,
    endpoint,
    protocol: "http",
    regionId: "cn-shanghai",
    signatureAlgorithm: options.signatureAlgorithm,
    readTimeout: options.readTimeout,
  });
}

export const stsClient = (endpoint: string, keys: Keys, options?: ClientOptions): Sts =>
  new Sts(config(endpoint, keys, options));
export const ramClient = (endpoint: string, keys: Keys, options?: ClientOptions): Ram =>
  new Ram(config(endpoint, keys, options));
export const rmClient = (endpoint: string, keys: Keys, options?: ClientOptions): ResourceManager =>
  new ResourceManager(config(endpoint, keys, options));

/** VOD through openapi-core's generic callApi: RPC, POST, version 2017-03-21 (reference §1). */
export async function callVod(
  endpoint: string,
  keys: Keys,
  action: string,
  query: Record<string, string> = {},
  options?: ClientOptions,
): Promise<Record<string, unknown>> {
  const client = new OpenApi(config(endpoint, keys, options));
  const params = new $OpenApiUtil.Params({
    action,
    version: "2017-03-21",
    protocol: "HTTP",
    pathname: "/",
    method: "POST",
    authType: "AK",
    style: "RPC",
    reqBodyType: "formData",
    bodyType: "json",
  });
  const request = new $OpenApiUtil.OpenApiRequest({ query });
  const response = await client.callApi(params, request, {} as Parameters<OpenApi["callApi"]>[2]);
  return response.body as Record<string, unknown>;
}

export function popClient(endpoint: string, keys: Keys, apiVersion: string) {
  return new PopCore({
    endpoint: `http://${endpoint}`,
    apiVersion,
    accessKeyId: keys.accessKeyId,
    accessKeySecret: keys.accessKeySecret,
    securityToken: keys.securityToken,
  });
}

/** What an SDK error carries (openapi-core ClientError/ServerError/ThrottlingError). */
export interface SdkError {
  code: string;
  statusCode: number;
  message: string;
  data: Record<string, unknown>;
  retryAfter?: number;
  accessDeniedDetail?: Record<string, unknown>;
}

export async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error("expected the call to fail, it succeeded");
}
