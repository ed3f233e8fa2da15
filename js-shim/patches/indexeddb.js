// IndexedDB: a request's success/error (and upgradeneeded/blocked) events run in the context of
// the call that created the request; a transaction's complete/abort/error events in the context of
// db.transaction() (the versionchange transaction of open(): of the open() call);
// cursor.continue()/advance() re-arm the cursor's request in their own context. Each record ends
// with the request's success/error or the transaction's complete/abort.

import { ReflectApply, ObjectGetOwnPropertyDescriptor, uncurryThis } from "../intrinsics.js";
import { capture, isEmpty } from "../context.js";
import { recordCause, recordCauseIn } from "../causes.js";
import { prepareCause, prepareMethod } from "../patch.js";

/** A request ends with success or error (a cursor's request is re-armed by continue/advance). */
const REQUEST_FINAL = ["success", "error"];
const TRANSACTION_FINAL = ["complete", "abort"];

/**
 * Patch for a method that returns the object whose events it causes. `also(result, ctx)` records
 * dependent objects (the versionchange transaction of an open request).
 */
function causingResult(target, key, final, also) {
  return prepareMethod(target, key, (original) => ({
    [key]() {
      const result = ReflectApply(original, this, arguments);
      if (!isEmpty()) {
        const ctx = capture();
        recordCauseIn(result, ctx, final);
        if (also !== undefined) also(result, ctx);
      }
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
  const addListener = uncurryThis(global.EventTarget.prototype.addEventListener);
  const transactionDescriptor = global.IDBRequest && ObjectGetOwnPropertyDescriptor(global.IDBRequest.prototype, "transaction");
  const transactionOf = transactionDescriptor && uncurryThis(transactionDescriptor.get);
  // open() creates its versionchange transaction only when upgradeneeded fires: give it the
  // cause then (this listener is registered first, so it runs before the page's).
  const versionChange = (request, ctx) => {
    if (transactionOf === undefined) return;
    addListener(request, "upgradeneeded", () => recordCauseIn(transactionOf(request), ctx, TRANSACTION_FINAL), { once: true });
  };
  for (const name in REQUEST_METHODS) {
    const ctor = global[name];
    if (typeof ctor !== "function") continue;
    for (const key of REQUEST_METHODS[name]) {
      const isTransaction = key === "transaction";
      patches.push(causingResult(ctor.prototype, key, isTransaction ? TRANSACTION_FINAL : REQUEST_FINAL, key === "open" ? versionChange : undefined));
    }
  }
  const IDBCursor = global.IDBCursor;
  const requestDescriptor = IDBCursor && ObjectGetOwnPropertyDescriptor(IDBCursor.prototype, "request");
  if (requestDescriptor && requestDescriptor.get) {
    const requestOf = uncurryThis(requestDescriptor.get);
    for (const key of ["continue", "advance", "continuePrimaryKey"]) {
      patches.push(prepareCause(IDBCursor.prototype, key, (cursor) => recordCause(requestOf(cursor), undefined, REQUEST_FINAL)));
    }
  }
  return patches;
}
