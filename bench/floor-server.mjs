// The physical floor for `npm run bench`: a bare node:http server answering the bytes of a file (the terms page
// as Detour rendered it) to every request. Nothing Detour or Next does can be cheaper than this on the machine.
// Usage: node bench/floor-server.mjs <port> <file>
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const [port, file] = process.argv.slice(2);
const body = readFileSync(file);
const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(body.length), 'Cache-Control': 'no-store' };

createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
}).listen(Number(port), '127.0.0.1', () => console.log(`floor on ${port}`));
