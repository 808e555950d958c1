// Unknown-field check ("strict" validation, as kubectl --validate=strict or kubeconform -strict do).
// The JSON schemas in kubernetes-models come from Kubernetes' OpenAPI document, which allows any extra
// property, so a misspelled optional field (readinesProbe) passes .validate() and is silently dropped by
// the API server. The same packages ship TypeScript declarations that list every field of every type;
// this module reads them and reports fields a type does not declare. It errs towards silence: anything it
// cannot resolve (unions of objects, opaque types, empty interfaces) is not checked below that point.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const files = new Map(); // declaration file -> { types, aliases, imports }

/** Field errors of `data` against interface `name` declared in `file` (a .d.ts path). */
export function unknownFields(data, file, name) {
  const errors = [];
  walk(data, { kind: "ref", name, file }, "", errors, 0);
  return errors;
}

function walk(data, type, path, errors, depth) {
  type = deref(type, 0);
  if (!type || depth > 64 || data === null || typeof data !== "object") return;
  if (type.kind === "array" && Array.isArray(data)) {
    data.forEach((item, i) => walk(item, type.of, `${path}[${i}]`, errors, depth + 1));
  } else if (type.kind === "object" && !Array.isArray(data)) {
    if (type.fields.size === 0 && !type.index) return; // an open, undescribed object (RawExtension, FieldsV1)
    for (const [key, value] of Object.entries(data)) {
      const field = type.fields.get(key) ?? type.index;
      const at = path ? `${path}.${key}` : key;
      if (field) walk(value, field, at, errors, depth + 1);
      else errors.push(`${at}: unknown field`);
    }
  } else if (type.kind === "union") {
    const structural = type.types.map((t) => deref(t, 0)).filter((t) => t && (t.kind === "object" || t.kind === "array"));
    if (structural.length === 1) walk(data, structural[0], path, errors, depth + 1);
  }
}

function deref(type, hops) {
  while (type && type.kind === "ref" && hops++ < 32) type = resolve(type.name, type.file);
  return type && type.kind === "ref" ? null : type;
}

function resolve(name, file) {
  const decl = load(file);
  if (!decl) return null;
  const local = decl.aliases.get(name) ?? name;
  if (decl.types.has(local)) return decl.types.get(local);
  const from = decl.imports.get(name);
  return from ? { kind: "ref", name: from.name, file: from.file } : null;
}

function load(file) {
  if (!files.has(file)) {
    let decl = null;
    try {
      decl = existsSync(file) ? parseDeclarations(readFileSync(file, "utf8"), file) : null;
    } catch {
      decl = null; // a declaration this reader does not understand: its types go unchecked
    }
    files.set(file, decl);
  }
  return files.get(file);
}

function importTarget(spec, file) {
  if (spec.startsWith(".")) return join(dirname(file), spec.replace(/\.js$/, ".d.ts"));
  const parts = spec.split("/");
  const packageLength = spec.startsWith("@") ? 2 : 1;
  // Node's lookup: the nearest node_modules above this file that holds the package.
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", ...parts.slice(0, packageLength));
    if (existsSync(candidate)) {
      const rest = parts.slice(packageLength).join("/");
      return rest ? join(candidate, `${rest}.d.ts`) : join(candidate, "index.d.ts");
    }
  }
  return null;
}

// A small reader for the declaration subset these packages generate: imports, interfaces, type aliases
// and `export type { A as B }` re-exports; property types built from names, literals, Array<T>, T[],
// unions, index signatures and inline object types.
function parseDeclarations(text, file) {
  const tokens = tokenize(text);
  const decl = { types: new Map(), aliases: new Map(), imports: new Map() };
  let i = 0;
  const peek = (o = 0) => tokens[i + o];
  const next = () => tokens[i++];
  const expect = (t) => { if (next() !== t) throw new Error(`${file}: expected ${t} near token ${i}`); };

  function type() {
    if (peek() === "|") next();
    const types = [postfix()];
    while (peek() === "|") { next(); types.push(postfix()); }
    return types.length === 1 ? types[0] : { kind: "union", types };
  }
  function postfix() {
    let t = primary();
    while (peek() === "[") {
      next();
      if (peek() === "]") { next(); t = { kind: "array", of: t }; } else { next(); expect("]"); t = { kind: "opaque" }; }
    }
    return t;
  }
  function primary() {
    const t = next();
    if (t === "{") return members("}");
    if (t === "(") { const inner = type(); expect(")"); return inner; }
    if (t.startsWith('"') || t.startsWith("'") || /^-?\d/.test(t)) return { kind: "literal" };
    if (t === "Array" && peek() === "<") { next(); const of = type(); expect(">"); return { kind: "array", of }; }
    if (peek() === "<") { let depth = 0; do { const g = next(); depth += g === "<" ? 1 : g === ">" ? -1 : 0; } while (depth > 0); return { kind: "opaque" }; }
    if (["string", "number", "boolean", "any", "unknown", "object", "null", "undefined", "never"].includes(t)) return { kind: "primitive" };
    return { kind: "ref", name: t, file };
  }
  function members(close) {
    const fields = new Map();
    let index = null;
    while (peek() !== close) {
      if (peek() === "[") {
        next(); next(); expect(":"); next(); expect("]"); expect(":");
        index = type();
      } else {
        const name = next().replace(/^["']|["']$/g, "");
        if (peek() === "?") next();
        expect(":");
        fields.set(name, type());
      }
      if (peek() === ";" || peek() === ",") next();
    }
    next();
    return { kind: "object", fields, index };
  }

  while (i < tokens.length) {
    const t = next();
    if (t === "import") {
      if (peek() === "type") next();
      if (peek() !== "{") continue;
      next();
      const names = [];
      while (peek() !== "}") { const n = next(); if (n !== ",") names.push(n); }
      next(); expect("from");
      const target = importTarget(next().slice(1, -1), file);
      for (const n of names) if (target) decl.imports.set(n, { name: n, file: target });
    } else if (t === "export" && peek() === "interface") {
      next();
      const name = next();
      while (peek() !== "{") next(); // extends clause: the generated interfaces redeclare apiVersion and kind
      next();
      decl.types.set(name, members("}"));
    } else if (t === "export" && peek() === "type" && peek(1) === "{") {
      next(); next();
      while (peek() !== "}") {
        const local = next();
        if (peek() === "as") { next(); decl.aliases.set(next(), local); }
        if (peek() === ",") next();
      }
      next();
    } else if (t === "export" && peek() === "type") {
      next();
      const name = next();
      expect("=");
      decl.types.set(name, type());
    } else if (t === "export" && peek() === "declare") {
      // A class mirroring the interface: skip its body.
      while (peek() !== "{") next();
      let depth = 0;
      do { const b = next(); depth += b === "{" ? 1 : b === "}" ? -1 : 0; } while (depth > 0);
    }
  }
  return decl;
}

function tokenize(text) {
  const source = text.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ");
  return source.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[A-Za-z_$][\w$]*|-?\d+(?:\.\d+)?|[{}[\]<>();:?|,=&.]/g) ?? [];
}
