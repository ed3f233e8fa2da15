// IndexedDB: a request's success/error (and upgradeneeded/blocked) events run in the context of
// the call that created the request; a transaction's complete/abort/error events in the context of
// db.transaction(); cursor.continue()/advance() re-arm the cursor's request in their own context.

import { ReflectApply, ObjectGetOwnPropertyDescriptor, uncurryThis } from "../intrinsics.js";
import { capture, isEmpty } from "../context.js";
import { recordCause, recordCauseIn } from "../causes.js";
import { prepareCause, prepareMethod } from "../patch.js";

/** Patch for a method that returns the object whose events it causes. */
function causingResult(target, key) {
  return prepareMethod(target, key, (original) => ({
    [key]() {
      const result = ReflectApply(original, this, arguments);
      if (!isEmpty()) recordCauseIn(result, capture());
      return result;
    },
  })[key]);
}

const REQUEST_METHODS = {
  IDBFactory: ["open", "deleteDatabase"],
  IDBObjectStore: ["add", "put", "get", "getKey", "getAll", "getAllKeys", "count", "delete", "clear", "openCursor", "openKeyCursor"],
  IDBIndex: ["get", "getKey", "getAll", "getAllKeys", "count", "openCursor", "openKeyCursor"],
  IDBCursor: ["update", "delete"],
  IDBDatabase: ["transaction"],
};

export function prepareIndexedDb(global) {
  const patches = [];
  for (const name in REQUEST_METHODS) {
    const ctor = global[name];
    if (typeof ctor !== "function") continue;
    for (const key of REQUEST_METHODS[name]) patches.push(causingResult(ctor.prototype, key));
  }
  const IDBCursor = global.IDBCursor;
  const requestDescriptor = IDBCursor && ObjectGetOwnPropertyDescriptor(IDBCursor.prototype, "request");
  if (requestDescriptor && requestDescriptor.get) {
    const requestOf = uncurryThis(requestDescriptor.get);
    for (const key of ["continue", "advance", "continuePrimaryKey"]) {
      patches.push(prepareCause(IDBCursor.prototype, key, (cursor) => recordCause(requestOf(cursor))));
    }
  }
  return patches;
}
