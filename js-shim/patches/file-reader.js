// FileReader: the load/progress/error events of a read run in the context of the readAs* call.

import { recordCause } from "../causes.js";
import { prepareCause } from "../patch.js";

export function prepareFileReader(global) {
  const FileReader = global.FileReader;
  if (typeof FileReader !== "function") return [];
  const record = (reader) => recordCause(reader);
  return ["readAsArrayBuffer", "readAsBinaryString", "readAsDataURL", "readAsText"].map((key) =>
    prepareCause(FileReader.prototype, key, record),
  );
}
