// Validate KEDA objects against the schema generated from KEDA's CRDs (@kubernetes-models/keda).
// Usage: node keda.mjs < objects.json (a JSON array of ScaledObjects). Prints {"validated", "failed"};
// exit status 1 with one line per invalid object on stderr.
import { readFileSync } from "node:fs";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";

const objects = JSON.parse(readFileSync(0, "utf8"));
let failed = 0;
for (const object of objects) {
  try {
    if (!ScaledObject.is(object)) throw new Error(`not a keda.sh/v1alpha1 ScaledObject: ${object.apiVersion} ${object.kind}`);
    new ScaledObject(object).validate();
  } catch (error) {
    failed += 1;
    console.error(`${object.metadata?.name ?? "(unnamed)"}: ${error.message}`);
  }
}
console.log(JSON.stringify({ validated: objects.length, failed }));
process.exit(failed ? 1 : 0);
