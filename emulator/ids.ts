// Identifier and credential shapes copied from what Alibaba Cloud returns
// (reference/alibaba-api.md §2 and §4): `LTAI…` AccessKey IDs, 30-character secrets,
// `STS.` + 25 alphanumerics for temporary keys, upper-case UUID request IDs.
import { randomBytes, randomUUID } from "node:crypto";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const DIGITS = "0123456789";

// One randomBytes call per 4 KiB instead of one per identifier: AssumeRole mints an ID per call
// and the syscall showed up in the emulator's profile.
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

function randomFrom(alphabet: string, length: number): string {
  if (poolOffset + length > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  let out = "";
  // 256 % 62 leaves a small bias towards the first letters; irrelevant for a fake key.
  for (let i = 0; i < length; i++) out += alphabet[pool[poolOffset + i] % alphabet.length];
  poolOffset += length;
  return out;
}

export const newRequestId = (): string => randomUUID().toUpperCase();

/** Real permanent key IDs are `LTAI5t` + 18 alphanumerics (24 in all). */
export const newAccessKeyId = (): string => "LTAI5t" + randomFrom(ALNUM, 18);

/** Real permanent secrets are 30 alphanumerics. */
export const newAccessKeySecret = (): string => randomFrom(ALNUM, 30);

export const newStsAccessKeyId = (): string => "STS." + randomFrom(ALNUM, 25);

/** A 16-digit account (UID) that does not start with 0. */
export const newAccountId = (): string => randomFrom("123456789", 1) + randomFrom(DIGITS, 15);

/** RAM user IDs and role IDs are 16–19 digit numbers. */
export const newPrincipalId = (): string => randomFrom("123456789", 1) + randomFrom(DIGITS, 17);

/** Alibaba's documented date format for every RAM/STS date: `YYYY-MM-DDTHH:MM:SSZ`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + "Z";
}
