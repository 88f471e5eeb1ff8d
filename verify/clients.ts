import OpenApiClient, { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";
import StsClient, { AssumeRoleRequest } from "@alicloud/sts20150401";
import type { Endpoints } from "./types";

/** A permanent key, or a temporary one with its security token. */
export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  policy?: string;
  externalId?: string;
}

export interface AssumeRoleAnswer {
  requestId?: string;
  assumedRoleArn?: string;
  assumedRoleId?: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  expiration?: string;
}

export interface CallerIdentityAnswer {
  requestId?: string;
  accountId?: string;
  arn?: string;
  identityType?: string;
  principalId?: string;
  roleId?: string;
}

/** The four calls verify makes; an interface so the checks can be driven without a server. */
export interface AlibabaApi {
  assumeRole(key: AccessKey, input: AssumeRoleInput, timeoutMs: number): Promise<AssumeRoleAnswer>;
  getCallerIdentity(key: AccessKey, timeoutMs: number): Promise<CallerIdentityAnswer>;
  /** VOD GetCategories (read-only): the probe that VOD accepts these credentials. */
  vodGetCategories(key: AccessKey, timeoutMs: number): Promise<{ requestId?: string }>;
  /**
   * A side-effect-free probe for the upload and play presets: RefreshUploadVideo or GetPlayInfo
   * of a video that does not exist. VOD authorizes before it looks the video up, so
   * InvalidVideo.NotFound means the call was allowed; a denial throws Forbidden.RAM.
   */
  vodProbe(key: AccessKey, action: VodProbeAction, timeoutMs: number): Promise<{ requestId?: string }>;
  /** RAM ListUsers: a non-VOD action the role's credentials must be refused. */
  ramListUsers(key: AccessKey, timeoutMs: number): Promise<{ requestId?: string }>;
}

export type VodProbeAction = "RefreshUploadVideo" | "GetPlayInfo";

/** A video ID no account holds: the probes must never touch a real video. */
export const PROBE_VIDEO_ID = "00000000000000000000000000000000";

type RuntimeOptions = Parameters<OpenApiClient["callApi"]>[2];

// openapi-core reads only these fields of the runtime argument; a plain object avoids depending on
// @darabonba/typescript, which is not a direct dependency.
function runtimeWith(timeoutMs: number): RuntimeOptions {
  return { readTimeout: timeoutMs, connectTimeout: timeoutMs } as unknown as RuntimeOptions;
}

/**
 * Explicit keys only: the SDK never falls back to env or profiles when keys are passed, which
 * matters in CI where the environment holds the deployer's key (DESIGN.md, "verify").
 */
function clientConfig(key: AccessKey, endpoint: string, protocol: string): $OpenApiUtil.Config {
  return new $OpenApiUtil.Config({
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
    ...(key.securityToken ? { securityToken: key.securityToken } : {}),
    endpoint,
    protocol,
  });
}

async function callRpc(
  key: AccessKey,
  endpoint: string,
  protocol: string,
  product: { version: string; action: string },
  query: Record<string, string>,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const client = new OpenApiClient(clientConfig(key, endpoint, protocol));
  const params = new $OpenApiUtil.Params({
    action: product.action,
    version: product.version,
    protocol: "HTTPS",
    pathname: "/",
    method: "POST",
    authType: "AK",
    style: "RPC",
    reqBodyType: "formData",
    bodyType: "json",
  });
  const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
  const response = await client.callApi(params, request, runtimeWith(timeoutMs));
  const body = response.body as unknown;
  return typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  return typeof body[name] === "string" ? body[name] : undefined;
}

export function createAlibabaApi(endpoints: Endpoints): AlibabaApi {
  const sts = (key: AccessKey) => new StsClient(clientConfig(key, endpoints.sts, endpoints.protocol));
  return {
    async assumeRole(key, input, timeoutMs) {
      const request = new AssumeRoleRequest({
        roleArn: input.roleArn,
        roleSessionName: input.sessionName,
        durationSeconds: input.durationSeconds,
        ...(input.policy !== undefined ? { policy: input.policy } : {}),
        ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
      });
      const { body } = await sts(key).assumeRoleWithOptions(request, runtimeWith(timeoutMs));
      return {
        requestId: body?.requestId,
        assumedRoleArn: body?.assumedRoleUser?.arn,
        assumedRoleId: body?.assumedRoleUser?.assumedRoleId,
        accessKeyId: body?.credentials?.accessKeyId,
        accessKeySecret: body?.credentials?.accessKeySecret,
        securityToken: body?.credentials?.securityToken,
        expiration: body?.credentials?.expiration,
      };
    },
    async getCallerIdentity(key, timeoutMs) {
      const { body } = await sts(key).getCallerIdentityWithOptions(runtimeWith(timeoutMs));
      return {
        requestId: body?.requestId,
        accountId: body?.accountId,
        arn: body?.arn,
        identityType: body?.identityType,
        principalId: body?.principalId,
        roleId: body?.roleId,
      };
    },
    async vodGetCategories(key, timeoutMs) {
      // VOD 2017-03-21 GetCategories, CateId -1 = the top level (reference/alibaba-api.md §6).
      const body = await callRpc(
        key,
        endpoints.vod,
        endpoints.protocol,
        { version: "2017-03-21", action: "GetCategories" },
        { CateId: "-1", PageNo: "1", PageSize: "1" },
        timeoutMs,
      );
      return { requestId: stringField(body, "RequestId") };
    },
    async vodProbe(key, action, timeoutMs) {
      try {
        const body = await callRpc(
          key,
          endpoints.vod,
          endpoints.protocol,
          { version: "2017-03-21", action },
          { VideoId: PROBE_VIDEO_ID },
          timeoutMs,
        );
        return { requestId: stringField(body, "RequestId") };
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === "string" && code.startsWith("InvalidVideo.")) {
          return { requestId: (error as { data?: { RequestId?: string } }).data?.RequestId };
        }
        throw error;
      }
    },
    async ramListUsers(key, timeoutMs) {
      const body = await callRpc(
        key,
        endpoints.ram,
        endpoints.protocol,
        { version: "2015-05-01", action: "ListUsers" },
        { MaxItems: "1" },
        timeoutMs,
      );
      return { requestId: stringField(body, "RequestId") };
    },
  };
}
