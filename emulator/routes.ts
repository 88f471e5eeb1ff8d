// One port serves every product: a request is routed by (API version, action).
import { RAM } from "./handlers/ram";
import { RESOURCE_MANAGER } from "./handlers/resourceManager";
import { STS } from "./handlers/sts";
import type { ActionSpec, ProductSpec } from "./handlers/types";
import { VOD } from "./handlers/vod";

export const PRODUCTS: readonly ProductSpec[] = [STS, RAM, VOD, RESOURCE_MANAGER];

const byVersion = new Map<string, { product: ProductSpec; actions: Map<string, ActionSpec> }>(
  PRODUCTS.map((product) => [
    product.version,
    { product, actions: new Map(product.actions.map((a) => [a.action, a])) },
  ]),
);

export function productFor(
  version: string,
): { product: ProductSpec; actions: Map<string, ActionSpec> } | undefined {
  return byVersion.get(version);
}
