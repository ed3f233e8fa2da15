'use strict'
// Runs abstract-level's compliance suite (shipped in the abstract-level package as `abstract-level/test`)
// against memory-level, the in-memory implementation maintained alongside it. Copied next to the
// installed packages by check.mjs, so `require` resolves the variant (plain or transformed) under test.
const test = require('tape')
const suite = require('abstract-level/test')
const { MemoryLevel } = require('memory-level')

for (const storeEncoding of ['buffer', 'view', 'utf8']) {
  suite({
    test,
    factory (options) {
      return new MemoryLevel({ ...options, storeEncoding })
    }
  })
}
