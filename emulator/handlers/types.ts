// The shape of one API action: its input rules as data, the permission it needs and its handler.
import type { ApiCall, Params } from "../request";
import type { Caller, EmulatorContext } from "../context";
import type { ApiError, ErrorCode, Product } from "../errors";

export interface ParamRule {
  name: string;
  required?: boolean;
  /** Whole-value pattern, checked after the length bounds. */
  pattern?: RegExp;
  minLength?: number;
  /** In UTF-8 bytes when `maxBytes` is set, otherwise in characters. */
  maxLength?: number;
  maxBytes?: boolean;
  /** An integer parameter within [min, max]. */
  integer?: { min: number; max: number };
  /** One of these values. */
  oneOf?: readonly string[];
  /** A further check of a value that passed the rules above (e.g. policy grammar). */
  check?: (value: string) => ApiError | undefined;
  /** The documented error for a bad value; otherwise InvalidParameter.<Name>. */
  error?: ErrorCode;
  /** What is allowed, for the error message. */
  allowed: string;
}

export interface HandlerInput {
  params: Params;
  call: ApiCall;
  caller: Caller;
  ctx: EmulatorContext;
  nowMs: number;
}

export interface ActionSpec {
  action: string;
  params: readonly ParamRule[];
  /**
   * The RAM action and resource the caller must be allowed; undefined = no authorization
   * (GetCallerIdentity). Called after the parameters passed their rules.
   */
  permission: ((input: HandlerInput) => { action: string; resource: string }) | undefined;
  /** Returns the response body without RequestId. May be async (none is today). */
  handle: (input: HandlerInput) => Record<string, unknown>;
}

export interface ProductSpec {
  product: Product;
  version: string;
  /** The code a policy denial answers: NoPermission (STS, RAM, ResourceManager) or Forbidden.RAM (VOD). */
  denialCode: "NoPermission" | "Forbidden.RAM";
  actions: readonly ActionSpec[];
}
