// RAM patterns know two wildcards: `*` (any run of characters, empty included) and `?` (exactly one
// character) — reference/alibaba-api.md §4 and RAM "Conditional operators" (StringLike).

const compiled = new Map<string, RegExp>();
// Patterns come from stored policies, so the set is finite in practice; the cap only keeps a hostile
// stream of distinct session policies from growing the cache without bound.
const CACHE_LIMIT = 2000;

function toRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const cacheKey = (ignoreCase ? "i:" : "s:") + pattern;
  const cached = compiled.get(cacheKey);
  if (cached) return cached;
  let source = "";
  for (const ch of pattern) {
    if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  const regExp = new RegExp(`^${source}$`, ignoreCase ? "iu" : "u");
  if (compiled.size >= CACHE_LIMIT) compiled.clear();
  compiled.set(cacheKey, regExp);
  return regExp;
}

/** Whether `value` matches `pattern` with `*` and `?` wildcards over the whole string. */
export function matchesWildcard(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === "*") return true;
  if (!pattern.includes("*") && !pattern.includes("?")) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  return toRegExp(pattern, ignoreCase).test(value);
}
