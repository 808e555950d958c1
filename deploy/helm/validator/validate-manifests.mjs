// Validates rendered Kubernetes manifests (helm template output) offline, against the schemas that the npm
// packages kubernetes-models and @kubernetes-models/* ship. Every document must name a kind those packages
// know, pass its model's .validate() (types, required fields, enums, formats), declare no field its type
// lacks (known-fields.mjs), and have a name that no other document of the same kind uses; a container must
// not set one environment variable twice.
//
//   node validate-manifests.mjs --tools DIR [--expect-invalid] FILE...
//
// DIR holds node_modules with the pinned packages (check.sh installs them). With --expect-invalid every
// document must be rejected: the check's negative self-test, proving the validator still refuses bad input.
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { unknownFields } from "./known-fields.mjs";

// API groups whose kinds come from a third-party models package rather than kubernetes-models.
const THIRD_PARTY = new Map([["monitoring.coreos.com", "@kubernetes-models/prometheus-operator"]]);

const args = process.argv.slice(2);
const toolsAt = args.indexOf("--tools");
const expectInvalid = args.includes("--expect-invalid");
const inputs = args.filter((a, i) => !a.startsWith("--") && i !== toolsAt + 1);
if (toolsAt < 0 || inputs.length === 0) {
  console.error("usage: node validate-manifests.mjs --tools DIR [--expect-invalid] FILE...");
  process.exit(2);
}
const modules = join(resolve(args[toolsAt + 1]), "node_modules");
const YAML = createRequire(join(modules, "..", "package.json"))("yaml");

async function loadModel(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (!/^[a-z0-9.-]*$/.test(group) || !/^v[0-9a-z]+$/.test(version) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return null;
  const base = join(modules, THIRD_PARTY.get(group) ?? "kubernetes-models", group, version, kind);
  if (!existsSync(`${base}.js`)) return null;
  const Model = (await import(pathToFileURL(`${base}.js`).href))[kind];
  // Sub-objects (DeploymentSpec) have modules too; only a top-level kind declares its own apiVersion/kind.
  return Model && Model.apiVersion === apiVersion && Model.kind === kind ? { Model, declarations: `${base}.d.ts` } : null;
}

function schemaErrors(error) {
  const details = Array.isArray(error.errors) ? error.errors : [];
  if (details.length === 0) return [String(error.message ?? error)];
  return details.map((e) => {
    const at = (e.instancePath ?? "").split("/").slice(1).map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path ? `${path}.${s}` : s), "") || "(document)";
    const allowed = e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : "";
    return `${at}: ${e.message ?? e.keyword}${allowed}`;
  });
}

function duplicateEnv(doc) {
  const podSpec = doc.kind === "Job" || doc.kind === "Deployment" ? doc.spec?.template?.spec : null;
  const containers = [...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])];
  return containers.flatMap((c) => {
    const seen = new Set();
    return (c.env ?? []).filter((e) => seen.has(e.name) || !seen.add(e.name)).map((e) => `container ${c.name}: env ${e.name} is set twice`);
  });
}

async function check(doc, names) {
  if (!doc || typeof doc !== "object" || !doc.apiVersion || !doc.kind) return ["not a Kubernetes object (apiVersion and kind are required)"];
  const found = await loadModel(doc.apiVersion, doc.kind);
  if (!found) return [`unknown kind ${doc.apiVersion}/${doc.kind}: no model in kubernetes-models or the third-party packages (${[...THIRD_PARTY.values()].join(", ")})`];
  const errors = [];
  try {
    new found.Model(doc).validate();
  } catch (error) {
    errors.push(...schemaErrors(error));
  }
  errors.push(...unknownFields(doc, found.declarations, `I${doc.kind}`), ...duplicateEnv(doc));
  const name = doc.metadata?.name;
  if (!name) errors.push("metadata.name is missing");
  else if (names.has(`${doc.kind}/${name}`)) errors.push(`another ${doc.kind} is also named ${name}`);
  else names.add(`${doc.kind}/${name}`);
  return errors;
}

let failed = false;
for (const file of inputs) {
  const names = new Set();
  const counts = new Map();
  let total = 0;
  let rejected = 0;
  // YAML 1.1, as Kubernetes reads it (unquoted yes/no/on/off are booleans there).
  for (const document of YAML.parseAllDocuments(readFileSync(file, "utf8"), { version: "1.1" })) {
    const doc = document.toJS();
    if (doc === null || doc === undefined) continue; // a template that rendered nothing
    total++;
    // helm template marks each document with "# Source: <chart>/templates/<file>".
    const source = /Source: (\S+)/.exec(`${document.commentBefore ?? ""}\n${document.contents?.commentBefore ?? ""}`)?.[1];
    const label = `${file}: ${source ? `${source}: ` : ""}${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
    const errors = [...document.errors.map((e) => `YAML: ${e.message}`), ...(await check(doc, names))];
    counts.set(doc?.kind ?? "?", (counts.get(doc?.kind ?? "?") ?? 0) + 1);
    if (errors.length > 0) {
      rejected++;
      const prefix = expectInvalid ? "rejected as expected" : "INVALID";
      for (const error of errors) console.log(`${prefix} ${label}: ${error}`);
    } else if (expectInvalid) {
      console.log(`NOT REJECTED ${label}: the validator accepted a document that must fail`);
      failed = true;
    }
  }
  if (total === 0) {
    console.log(`${file}: no documents`);
    failed = true;
  } else if (!expectInvalid) {
    failed ||= rejected > 0;
    const kinds = [...counts].map(([kind, n]) => (n > 1 ? `${kind} x${n}` : kind)).join(", ");
    console.log(`${file}: ${total - rejected}/${total} documents valid (${kinds})`);
  } else {
    console.log(`${file}: ${rejected}/${total} broken documents rejected`);
  }
}
process.exit(failed ? 1 : 0);
