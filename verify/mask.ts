/** What replaces a secret in any printed text. */
export const MASK = "****";

/**
 * Masks every known secret in any text before it is printed — SDK error messages included, since
 * openapi-core and httpx put request URLs in them, and a V1-signed URL carries the SecurityToken.
 * Secrets are added as they become known (the STS secret and token after AssumeRole).
 */
export class SecretMasker {
  private readonly forms = new Set<string>();

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: string | undefined): void {
    // Very short values would mask ordinary words; real secrets are 30+ characters.
    if (!secret || secret.length < 6) return;
    this.forms.add(secret);
    // The same secret as it appears URL-encoded in a query string or form body.
    this.forms.add(encodeURIComponent(secret));
    this.forms.add(encodeURIComponent(secret).replace(/%20/g, "+"));
  }

  get secrets(): string[] {
    return [...this.forms];
  }

  mask(text: string): string {
    let masked = text;
    // Longest first, so a secret's encoded form is not half-masked by the raw form.
    for (const form of [...this.forms].sort((a, b) => b.length - a.length)) {
      masked = masked.split(form).join(MASK);
    }
    return masked;
  }
}
