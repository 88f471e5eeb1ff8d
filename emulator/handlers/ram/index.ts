// RAM 2015-05-01 (reference §4).
import type { ProductSpec } from "../types";
import { accessKeyActions } from "./accessKeys";
import { policyActions } from "./policies";
import { roleActions } from "./roles";
import { userActions } from "./users";

export const RAM: ProductSpec = {
  product: "Ram",
  version: "2015-05-01",
  denialCode: "NoPermission",
  actions: [...userActions, ...accessKeyActions, ...roleActions, ...policyActions],
};
