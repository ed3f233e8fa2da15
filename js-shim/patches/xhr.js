// XMLHttpRequest: every event after send() (on the request and on xhr.upload) runs in the context
// of the send() call.

import { recordCause } from "../causes.js";
import { prepareCause } from "../patch.js";
import { ObjectGetOwnPropertyDescriptor, uncurryThis } from "../intrinsics.js";

export function prepareXhr(global) {
  const XMLHttpRequest = global.XMLHttpRequest;
  if (typeof XMLHttpRequest !== "function") return [];
  const uploadDescriptor = ObjectGetOwnPropertyDescriptor(XMLHttpRequest.prototype, "upload");
  const uploadOf = uploadDescriptor && uploadDescriptor.get && uncurryThis(uploadDescriptor.get);
  return [
    prepareCause(XMLHttpRequest.prototype, "send", (xhr) => {
      recordCause(xhr);
      if (uploadOf) recordCause(uploadOf(xhr));
    }),
  ];
}
