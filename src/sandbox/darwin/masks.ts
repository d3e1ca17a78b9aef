// macOS credential stores added to the shared deny-read list: the Keychains,
// browser profiles and cookies, and the places macOS tools keep tokens.

/** Relative to $HOME unless absolute; masked (no read, no write) on macOS on top of DEFAULT_MASKED. */
export const DARWIN_MASKED = [
  "Library/Keychains",
  "Library/Cookies",
  "Library/HTTPStorages",
  "Library/Application Support/Google/Chrome",
  "Library/Application Support/Chromium",
  "Library/Application Support/BraveSoftware",
  "Library/Application Support/Microsoft Edge",
  "Library/Application Support/Firefox",
  "Library/Safari",
  "Library/Containers/com.apple.Safari",
  "Library/Group Containers/group.com.apple.notes",
  "Library/Messages",
  "Library/Mail",
  "Library/Application Support/com.apple.TCC",
  "Library/Application Support/gh",
  "Library/Application Support/safe-sh",
  "/Library/Keychains",
  "/private/var/run/docker.sock",
];
