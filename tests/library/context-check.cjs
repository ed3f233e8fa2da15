'use strict'
// Two interleaved flows use memory-level inside AsyncContext.Variable.run. The library calls back into
// user code only after its own internal `await`s: the 'write' event after `await this._put/_del/_batch`,
// and a custom value encoding's decode() after `await this._get/_getMany` and inside iterator.all().
// Prints one JSON line: what each callback saw, as "<where> <key>: <variable value>".
// The caller itself uses only .then chains, which the polyfill propagates without the transform.
const { MemoryLevel } = require('memory-level')

const flow = new AsyncContext.Variable({ name: 'flow' })
const seen = []
const tagged = {
  name: 'tagged',
  format: 'utf8',
  encode: (value) => String(value),
  decode: (value) => {
    seen.push(`decode ${value}: ${flow.get()}`)
    return value
  }
}

const db = new MemoryLevel()
db.open().then(() => {
  db.on('write', (ops) => {
    for (const op of ops) seen.push(`write ${op.type} ${op.key}: ${flow.get()}`)
  })
  const run = (name) => flow.run(name, () =>
    db.put(name, `${name}-value`)
      .then(() => db.batch([{ type: 'put', key: `${name}2`, value: `${name}2-value` }]))
      .then(() => db.get(name, { valueEncoding: tagged }))
      .then(() => db.getMany([`${name}2`], { valueEncoding: tagged }))
      .then(() => db.iterator({ gte: name, lte: `${name}2`, valueEncoding: tagged }).all())
      .then(() => db.del(`${name}2`))
  )
  return Promise.all([run('A'), run('B')])
}).then(() => {
  console.log(JSON.stringify(seen))
}, (error) => {
  console.error(error)
  process.exitCode = 1
})
