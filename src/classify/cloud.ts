// Cloud and cluster CLIs (kubectl, helm, aws, gcloud, az, gsutil, gh, terraform,
// pulumi): network by default; verbs that delete resources or data are destructive.
import { show, verdict, worst, type Family, type ProgramRule } from "./risk";

// Verbs that throw away resources, objects or repositories, in any position of the command path.
const DELETES = /^(delete|delete-[\w-]+|destroy|rm|rb|remove|uninstall|purge|terminate|terminate-[\w-]+|deregister|deregister-[\w-]+|drop)$/;

const cli: ProgramRule = ({ argv, name }) => {
  const words = argv.slice(1).filter((a) => !a.startsWith("-"));
  const contacts = verdict("network", `${show(argv)}: ${name} contacts the network`);
  const verb = words.find((w) => DELETES.test(w));
  // aws s3 sync --delete removes what the source does not have.
  const syncDelete = words[1] === "sync" && argv.includes("--delete");
  return verb || syncDelete ? worst(contacts, verdict("destructive", `${show(argv)}: ${name} ${verb ?? "sync --delete"} deletes resources or data`)) : contacts;
};

// Infrastructure tools run provider plugins from the project (confined), then change remote state.
const infrastructure: ProgramRule = ({ argv, name }, ctx) => {
  const runs = verdict("execute", `${show(argv)}: ${name} runs the project's provider plugins`);
  return worst(runs, cli({ argv, name, dynamic: false }, ctx));
};

export const cloud: Family = {
  rules: {
    kubectl: cli, helm: cli, aws: cli, gcloud: cli, gsutil: cli, az: cli, gh: cli, glab: cli, doctl: cli, oc: cli, eksctl: cli,
    terraform: infrastructure, tofu: infrastructure, pulumi: infrastructure,
  },
};
