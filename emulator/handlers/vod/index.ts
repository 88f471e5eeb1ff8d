// ApsaraVideo VOD 2017-03-21: GetCategories (the read-only probe), SearchMedia, CreateUploadVideo,
// RefreshUploadVideo, GetPlayInfo (reference §6). No categories exist, so GetCategories answers the empty top level.
import { createHash } from "node:crypto";
import { apiError } from "../../errors";
import { isoSeconds } from "../../ids";
import { intParam, strParam } from "../params";
import type { ActionSpec, HandlerInput, ProductSpec } from "../types";
import type { VideoRecord } from "./videos";

/** VOD authorizes these APIs per account (see authorize.ts). */
const vodPermission =
  (action: string) =>
  ({ ctx }: HandlerInput): { action: string; resource: string } => ({
    action: `vod:${action}`,
    resource: `acs:vod:${ctx.region}:${ctx.state.accountId}:*`,
  });

const pageRules = (pageParam: string) =>
  [
    { name: pageParam, integer: { min: 1, max: 1_000_000 }, allowed: "an integer >= 1" },
    { name: "PageSize", integer: { min: 1, max: 100 }, allowed: "an integer 1..100" },
  ] as const;

const getCategories: ActionSpec = {
  action: "GetCategories",
  params: [
    {
      name: "CateId",
      integer: { min: -1, max: Number.MAX_SAFE_INTEGER },
      allowed: "-1 (top level) or a category ID",
    },
    ...pageRules("PageNo"),
    {
      name: "SortBy",
      oneOf: ["CreationTime:Desc", "CreationTime:Asc"],
      allowed: "CreationTime:Desc or CreationTime:Asc",
    },
    { name: "Type", oneOf: ["default", "material"], allowed: "default or material" },
  ],
  permission: vodPermission("GetCategories"),
  handle: ({ params }) => {
    const cateId = intParam(params, "CateId", -1);
    if (cateId !== -1) {
      // approximated code: the emulator holds no categories
      throw apiError("InvalidCateId.NotFound", `(CateId ${cateId})`);
    }
    return {
      SubTotal: 0,
      Category: { CateId: -1, CateName: "", Level: -1, ParentId: -1, Type: params.Type ?? "default" },
      SubCategories: { Category: [] },
    };
  },
};

const mediaView = (video: VideoRecord): Record<string, unknown> => ({
  MediaType: "video",
  MediaId: video.videoId,
  CreationTime: video.creationTime,
  Video: {
    VideoId: video.videoId,
    Title: video.title,
    Description: video.description,
    CateId: video.cateId,
    Tags: video.tags,
    Status: "Uploading",
    CreationTime: video.creationTime,
  },
});

const searchMedia: ActionSpec = {
  action: "SearchMedia",
  params: [
    {
      name: "SearchType",
      oneOf: ["video", "audio", "image", "attached"],
      allowed: "video, audio, image or attached",
    },
    { name: "Match", maxLength: 1024, allowed: "at most 1024 characters" },
    ...pageRules("PageNo"),
    {
      name: "SortBy",
      oneOf: ["CreationTime:Desc", "CreationTime:Asc"],
      allowed: "CreationTime:Desc or CreationTime:Asc",
    },
  ],
  permission: vodPermission("SearchMedia"),
  handle: ({ params, ctx }) => {
    const pageNo = intParam(params, "PageNo", 1);
    const pageSize = intParam(params, "PageSize", 10);
    const type = strParam(params, "SearchType") ?? "video";
    let media = type === "video" ? ctx.videos.list() : [];
    // Match is a query language in VOD; only `Title in ('…')`/`Title = '…'` substrings are honoured.
    const title = /Title\s*(?:=|in\s*\()\s*'([^']*)'/i.exec(params.Match ?? "")?.[1];
    if (title !== undefined) media = media.filter((v) => v.title.includes(title));
    if (params.SortBy !== "CreationTime:Asc") media = [...media].reverse();
    return {
      Total: media.length,
      MediaList: media.slice((pageNo - 1) * pageSize, pageNo * pageSize).map(mediaView),
    };
  },
};

/** Deterministic from the video ID, so tests can assert it; the credentials inside are fake. */
function uploadTicket(
  videoId: string,
  fileName: string,
  region: string,
): { UploadAddress: string; UploadAuth: string } {
  const digest = createHash("sha256").update(videoId).digest("hex");
  const extension = /\.[A-Za-z0-9]+$/.exec(fileName)?.[0] ?? "";
  const address = {
    Endpoint: `https://oss-${region}.aliyuncs.com`,
    Bucket: `outin-${digest.slice(0, 32)}`,
    FileName: `sv/${digest.slice(32, 40)}-${digest.slice(40, 48)}/${digest.slice(48, 56)}${extension}`,
  };
  const auth = {
    SecurityToken: `CAIS${Buffer.from(`upload:${videoId}`).toString("base64")}`,
    AccessKeyId: `STS.${digest.slice(0, 25)}`,
    AccessKeySecret: Buffer.from(digest.slice(0, 33)).toString("base64"),
    Expiration: "3600",
    Region: region,
  };
  return {
    UploadAddress: Buffer.from(JSON.stringify(address)).toString("base64"),
    UploadAuth: Buffer.from(JSON.stringify(auth)).toString("base64"),
  };
}

const createUploadVideo: ActionSpec = {
  action: "CreateUploadVideo",
  params: [
    { name: "Title", required: true, maxLength: 128, maxBytes: true, allowed: "at most 128 bytes" },
    {
      name: "FileName",
      required: true,
      maxLength: 128,
      pattern: /\.[A-Za-z0-9]+$/,
      allowed: "a file name with an extension, e.g. video.mp4",
    },
    { name: "FileSize", integer: { min: 0, max: Number.MAX_SAFE_INTEGER }, allowed: "a size in bytes" },
    { name: "Description", maxLength: 1024, maxBytes: true, allowed: "at most 1024 bytes" },
    { name: "CateId", integer: { min: -1, max: Number.MAX_SAFE_INTEGER }, allowed: "a category ID" },
    { name: "Tags", maxLength: 128, allowed: "at most 128 characters" },
  ],
  permission: vodPermission("CreateUploadVideo"),
  handle: ({ params, ctx, nowMs }) => {
    const videoId = createHash("md5")
      .update(`${ctx.state.accountId}:${ctx.videos.list().length}:${params.Title}:${nowMs}`)
      .digest("hex");
    ctx.videos.add({
      videoId,
      title: params.Title,
      fileName: params.FileName,
      description: params.Description ?? "",
      cateId: intParam(params, "CateId", -1),
      tags: params.Tags ?? "",
      creationTime: isoSeconds(nowMs),
    });
    return { VideoId: videoId, ...uploadTicket(videoId, params.FileName, ctx.region) };
  },
};

/**
 * VOD checks authorization before it looks the video up, so an unknown VideoId answers
 * InvalidVideo.NotFound only to a caller that holds the permission — verify uses that as a
 * side-effect-free probe for the upload and play presets. (Code and message as VOD's GetVideoInfo
 * documents them; UNSURE for these two actions.)
 */
const videoNotFound = (videoId: string) => apiError("InvalidVideo.NotFound", `(VideoId ${videoId})`);

const videoIdRule = {
  name: "VideoId",
  required: true,
  maxLength: 64,
  pattern: /^[A-Za-z0-9]+$/,
  allowed: "a video ID (letters and digits)",
} as const;

const refreshUploadVideo: ActionSpec = {
  action: "RefreshUploadVideo",
  params: [videoIdRule],
  permission: vodPermission("RefreshUploadVideo"),
  handle: ({ params, ctx }) => {
    const video = ctx.videos.get(params.VideoId);
    if (!video) throw videoNotFound(params.VideoId);
    return { VideoId: video.videoId, ...uploadTicket(video.videoId, video.fileName, ctx.region) };
  },
};

const getPlayInfo: ActionSpec = {
  action: "GetPlayInfo",
  params: [videoIdRule],
  permission: vodPermission("GetPlayInfo"),
  handle: ({ params, ctx }) => {
    const video = ctx.videos.get(params.VideoId);
    if (!video) throw videoNotFound(params.VideoId);
    // Nothing is ever transcoded here: an uploaded-but-unprocessed video has no stream yet.
    throw apiError("InvalidVideo.NoneStream", `(VideoId ${video.videoId})`);
  },
};

export const VOD: ProductSpec = {
  product: "Vod",
  version: "2017-03-21",
  denialCode: "Forbidden.RAM",
  actions: [getCategories, searchMedia, createUploadVideo, refreshUploadVideo, getPlayInfo],
};
