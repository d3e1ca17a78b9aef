// `safe-sh untrust [DIR]`: stop loading that project's .safe-sh/config.toml.
import { changeTrust } from "./trust";

export async function command(args: string[]): Promise<number> {
  return changeTrust(args, false);
}
