// XMLHttpRequest: every event after send() (on the request and on xhr.upload) runs in the context
// of the send() call, until loadend. abort() and open() fire their events synchronously (see
// events.js): those listeners keep the caller's context.

import { recordCause } from "../causes.js";
import { prepareCause } from "../patch.js";
import { ObjectGetOwnPropertyDescriptor, uncurryThis } from "../intrinsics.js";

/** A request ends with loadend (after load, error, abort or timeout); so does its upload. */
const FINAL = ["loadend"];

export function prepareXhr(global) {
  const XMLHttpRequest = global.XMLHttpRequest;
  if (typeof XMLHttpRequest !== "function") return [];
  const uploadDescriptor = ObjectGetOwnPropertyDescriptor(XMLHttpRequest.prototype, "upload");
  const uploadOf = uploadDescriptor && uploadDescriptor.get && uncurryThis(uploadDescriptor.get);
  return [
    // The upload's record ends with the request's loadend: a listener on xhr.upload would make
    // the browser dispatch upload events (and force a CORS preflight), so none is added there.
    prepareCause(XMLHttpRequest.prototype, "send", (xhr) => recordCause(xhr, undefined, FINAL, uploadOf ? [uploadOf(xhr)] : undefined)),
  ];
}
