// SAFE_SH_LANDLOCK_MAX_ABI, for tests only: act as a kernel with an older
// Landlock ABI (the probe reports at most N, the launcher gets --landlock-max-abi N).
import { SafeShError } from "../errors";

/** The cap, or undefined when unset. Throws ERR_SAFESH_USAGE for anything but 1..64. */
export function landlockAbiCap(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.SAFE_SH_LANDLOCK_MAX_ABI;
  if (raw === undefined || raw === "") return undefined;
  const abi = /^[0-9]{1,2}$/.test(raw) ? Number(raw) : 0;
  if (abi < 1 || abi > 64) {
    throw new SafeShError("ERR_SAFESH_USAGE", `SAFE_SH_LANDLOCK_MAX_ABI=${raw}: expected a number from 1 to 64`, "unset SAFE_SH_LANDLOCK_MAX_ABI (it is for tests of older kernels)");
  }
  return abi;
}
