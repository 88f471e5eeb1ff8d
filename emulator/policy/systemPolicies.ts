// System policies preloaded in every emulated account. Documents are those Alibaba publishes on the
// RAM "System policy reference" pages, checked on the pages named per entry; where no page with the
// document text was found, the reference/alibaba-api.md §4 description is used and marked UNSURE.
import type { PolicyDocument } from "./types";

export interface SystemPolicy {
  description: string;
  document: PolicyDocument;
}

const allowAll = (actions: string | string[]): PolicyDocument => ({
  Version: "1",
  Statement: [{ Action: actions, Resource: "*", Effect: "Allow" }],
});

export const SYSTEM_POLICIES: Readonly<Record<string, SystemPolicy>> = Object.freeze({
  // RAM docs "AliyunSTSAssumeRoleAccess" (v1, 2017-04-27).
  AliyunSTSAssumeRoleAccess: {
    description: "Provides access to the API AssumeRole of Security Token Service(STS).",
    document: allowAll("sts:AssumeRole"),
  },
  // UNSURE: the published document was not found; the reference describes it as every VOD operation.
  AliyunVODFullAccess: {
    description: "Provides full access to ApsaraVideo for VOD via Management Console.",
    document: allowAll("vod:*"),
  },
  // RAM docs "AliyunVODReadOnlyAccess" (v3, 2019-02-28).
  AliyunVODReadOnlyAccess: {
    description: "Provides read-only access to ApsaraVideo for VOD via Management Console.",
    document: allowAll(["vod:Get*", "vod:List*", "vod:Search*", "vod:Describe*"]),
  },
  // RAM docs "AliyunVODUploadAuth" (v1, 2017-07-20).
  AliyunVODUploadAuth: {
    description: "Provides upload access to ApsaraVideo for VOD.",
    document: allowAll(["vod:CreateUploadVideo", "vod:RefreshUploadVideo", "vod:CreateUploadImage"]),
  },
  // RAM docs "AliyunVODPlayAuth" (v1, 2017-07-20).
  AliyunVODPlayAuth: {
    description: "Provides playback permission to ApsaraVideo for VOD.",
    document: allowAll([
      "vod:GetPlayInfo",
      "vod:GetVideoPlayAuth",
      "vod:GetVideoPlayInfo",
      "vod:GetVideoInfo",
    ]),
  },
  // UNSURE: the published document was not found; "*" on "*" is what the console calls full access.
  AdministratorAccess: {
    description: "Provides full access to Alibaba Cloud services and resources.",
    document: allowAll("*"),
  },
  // UNSURE: the published document was not found; ram:* on * per the reference's description.
  AliyunRAMFullAccess: {
    description: "Provides full access to Resource Access Management(RAM) via Management Console.",
    document: allowAll("ram:*"),
  },
  // UNSURE: the published document lists read actions of every product and was not found; this
  // keeps the read-only shape (Get/List/Describe/Query/Search/Check of any service) for the products
  // the emulator serves. It does not grant sts:AssumeRole, which is not a read action.
  ReadOnlyAccess: {
    description: "Provides read-only access to Alibaba Cloud services and resources.",
    document: allowAll(["*:Get*", "*:List*", "*:Describe*", "*:Query*", "*:Search*", "*:Check*"]),
  },
});
