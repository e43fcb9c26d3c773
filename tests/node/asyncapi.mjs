// Validate an AsyncAPI document with the official parser and print what it describes as JSON.
// Usage: node asyncapi.mjs PATH/asyncapi.yaml. References `urn:newsingest:schema:NAME` (used between
// the JSON Schemas) resolve to NAME.schema.json beside the document; nothing is fetched over the network.
// Exit status 1 with the parser's diagnostics when the document is invalid.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Parser, fromFile } from "@asyncapi/parser";

const documentPath = path.resolve(process.argv[2]);
const urnResolver = {
  schema: "urn",
  read: (uri) => readFile(path.join(path.dirname(documentPath), `${uri.toString().split(":").pop().split("#")[0]}.schema.json`), "utf8"),
};
const parser = new Parser({ __unstable: { resolver: { resolvers: [urnResolver] } } });
const { document, diagnostics } = await fromFile(parser, documentPath).parse();
const problems = diagnostics.filter((d) => d.severity === 0);
for (const d of diagnostics) console.error(`${["error", "warning", "info", "hint"][d.severity]}: ${d.path.join("/")}: ${d.message}`);
if (!document || problems.length) process.exit(1);

const summary = {
  version: document.version(),
  channels: document.channels().all().map((channel) => ({
    id: channel.id(),
    address: channel.address(),
    partitions: channel.bindings().get("kafka")?.value()?.partitions ?? null,
    topicConfiguration: channel.bindings().get("kafka")?.value()?.topicConfiguration ?? null,
    messages: channel.messages().all().map((message) => ({
      id: message.id(),
      payloadId: message.payload()?.id() ?? null,
      // required fields, including those of the shared definitions the payload composes (allOf)
      payloadRequired: [message.payload(), ...(message.payload()?.allOf() ?? [])].flatMap((schema) => schema?.required() ?? []),
      unresolvedRefs: (JSON.stringify(message.payload()?.json() ?? {}).match(/"\$ref"/g) ?? []).length,
      hasHeaders: message.hasHeaders(),
      headersRequired: (message.headers()?.allOf() ?? [message.headers()]).flatMap((schema) => schema?.required() ?? []),
      key: message.bindings().get("kafka")?.value()?.key?.type ?? null,
    })),
  })),
  operations: document.operations().all().map((operation) => ({
    id: operation.id(),
    action: operation.action(),
    channel: operation.channels().all().map((channel) => channel.address()),
    groupId: operation.bindings().get("kafka")?.value()?.groupId?.const ?? null,
  })),
};
console.log(JSON.stringify(summary, null, 1));
