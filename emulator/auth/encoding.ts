// Alibaba's percent-encoding for signatures (reference §1): encodeURIComponent plus ! ' ( ) *.
export function percentEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/!/g, "%21")
    .replace(/'/g, "%27")
    .replace(/\(/g, "%28")
    .replace(/\)/g, "%29")
    .replace(/\*/g, "%2A");
}

/** Keys in the UTF-16 order JavaScript's default sort gives, which is what the SDKs use. */
export function sortedKeys(params: Record<string, string>): string[] {
  return Object.keys(params).sort();
}
