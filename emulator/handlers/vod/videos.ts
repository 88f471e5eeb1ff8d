// Videos registered by CreateUploadVideo, so SearchMedia has something to find. Bounded: the
// oldest entries go first once the cap is reached.
export interface VideoRecord {
  videoId: string;
  title: string;
  fileName: string;
  description: string;
  cateId: number;
  tags: string;
  creationTime: string;
}

export class VideoStore {
  private readonly videos = new Map<string, VideoRecord>();
  constructor(private readonly capacity: number) {}

  add(video: VideoRecord): void {
    if (this.videos.size >= this.capacity) {
      const oldest = this.videos.keys().next();
      if (!oldest.done) this.videos.delete(oldest.value);
    }
    this.videos.set(video.videoId, video);
  }

  get(videoId: string): VideoRecord | undefined {
    return this.videos.get(videoId);
  }

  list(): VideoRecord[] {
    return [...this.videos.values()];
  }
}
