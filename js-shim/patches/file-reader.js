// FileReader: the events of a read run in the context of the readAs* call, until loadend.
// abort() fires its events synchronously (see events.js): those keep the caller's context.

import { recordCause } from "../causes.js";
import { prepareCause } from "../patch.js";

export function prepareFileReader(global) {
  const FileReader = global.FileReader;
  if (typeof FileReader !== "function") return [];
  const record = (reader) => recordCause(reader, undefined, ["loadend"]);
  return ["readAsArrayBuffer", "readAsBinaryString", "readAsDataURL", "readAsText"].map((key) =>
    prepareCause(FileReader.prototype, key, record),
  );
}
