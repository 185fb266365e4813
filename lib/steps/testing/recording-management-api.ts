import type { ManagementApi } from '../../auth0';

/** A ManagementApi for step unit tests: records each write, or fails every write with `failWith`. */
export function recordingManagementApi(failWith?: unknown) {
  const writes: { userId: string; body: Record<string, unknown> }[] = [];
  const api: ManagementApi = {
    async updateUser(userId, body) {
      if (failWith) throw failWith;
      writes.push({ userId, body });
    },
    async getUser() {
      return {};
    },
    async checkTokenEndpoint() {},
    stats: () => ({ tokenRequests: 0, writes: writes.length }),
  };
  return { api, writes };
}
