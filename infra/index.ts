import * as pulumi from "@pulumi/pulumi";
import { loadSettings } from "./config";
import { VodStsAccess, vodStsAccessArgs } from "./vodStsAccess";

const settings = loadSettings();

const access = new VodStsAccess("vod-sts", vodStsAccessArgs(settings));

// Output names are a contract with verify/ and the workflows (infra/stackOutputs.ts).
export const accountId = access.accountId;
export const userName = access.userName;
export const accessKeyId = access.accessKeyId;
export const accessKeySecret = access.accessKeySecret;
export const accessKeyEncryptedSecret = access.accessKeyEncryptedSecret;
export const accessKeyFingerprint = access.accessKeyFingerprint;
export const roleName = access.roleName;
export const roleArn = access.roleArn;
export const region = pulumi.output(settings.region);
export const rolePolicyScope = access.rolePolicyScope;
