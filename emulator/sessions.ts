// STS sessions without a session table: the security token carries the session, MAC'd with a key
// only this emulator instance knows, and the temporary AccessKey secret is derived from the key ID.
// Memory therefore stays flat however many AssumeRole calls are made, and a token expires exactly
// when its `Expiration` says (reference §4 "Old and new STS tokens both stay valid until they expire").
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { newStsAccessKeyId } from "./ids";

export interface StsSession {
  accessKeyId: string;
  accountId: string;
  roleId: string;
  roleName: string;
  sessionName: string;
  expiresAtMs: number;
  /** The session policy text as sent to AssumeRole. */
  policy: string | undefined;
  sourceIdentity: string | undefined;
}

type TokenCheck =
  | { ok: true; session: StsSession }
  | {
      ok: false;
      code:
        | "InvalidSecurityToken.Malformed"
        | "InvalidSecurityToken.MismatchWithAccessKey"
        | "InvalidSecurityToken.Expired";
    };

// Real tokens start with "CAIS" followed by base64 (reference §2); ours: CAIS<payload>.<mac>.
const PREFIX = "CAIS";

export class SessionIssuer {
  private readonly key = randomBytes(32);

  issue(session: Omit<StsSession, "accessKeyId">): {
    session: StsSession;
    accessKeySecret: string;
    securityToken: string;
  } {
    const full: StsSession = { ...session, accessKeyId: newStsAccessKeyId() };
    const payload = Buffer.from(
      JSON.stringify([
        full.accessKeyId,
        full.accountId,
        full.roleId,
        full.roleName,
        full.sessionName,
        full.expiresAtMs,
        full.policy ?? null,
        full.sourceIdentity ?? null,
      ]),
    ).toString("base64");
    const securityToken = `${PREFIX}${payload}.${this.mac(payload)}`;
    return { session: full, accessKeySecret: this.secretFor(full.accessKeyId), securityToken };
  }

  /** The 44-character secret of a temporary key (base64 of 32 bytes, like Alibaba's). */
  secretFor(accessKeyId: string): string {
    return createHmac("sha256", this.key).update(`secret:${accessKeyId}`).digest("base64");
  }

  check(securityToken: string, accessKeyId: string, nowMs: number): TokenCheck {
    if (!securityToken.startsWith(PREFIX)) return { ok: false, code: "InvalidSecurityToken.Malformed" };
    const dot = securityToken.lastIndexOf(".");
    if (dot < 0) return { ok: false, code: "InvalidSecurityToken.Malformed" };
    const payload = securityToken.slice(PREFIX.length, dot);
    const mac = Buffer.from(securityToken.slice(dot + 1));
    const expected = Buffer.from(this.mac(payload));
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
      return { ok: false, code: "InvalidSecurityToken.Malformed" };
    }
    let fields: unknown;
    try {
      fields = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
    } catch {
      return { ok: false, code: "InvalidSecurityToken.Malformed" };
    }
    if (!Array.isArray(fields) || fields.length !== 8)
      return { ok: false, code: "InvalidSecurityToken.Malformed" };
    const [keyId, accountId, roleId, roleName, sessionName, expiresAtMs, policy, sourceIdentity] = fields as [
      string,
      string,
      string,
      string,
      string,
      number,
      string | null,
      string | null,
    ];
    if (keyId !== accessKeyId) return { ok: false, code: "InvalidSecurityToken.MismatchWithAccessKey" };
    if (nowMs >= expiresAtMs) return { ok: false, code: "InvalidSecurityToken.Expired" };
    return {
      ok: true,
      session: {
        accessKeyId: keyId,
        accountId,
        roleId,
        roleName,
        sessionName,
        expiresAtMs,
        policy: policy ?? undefined,
        sourceIdentity: sourceIdentity ?? undefined,
      },
    };
  }

  private mac(payload: string): string {
    return createHmac("sha256", this.key).update(payload).digest("base64").slice(0, 22);
  }
}
