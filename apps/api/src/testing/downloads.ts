import ExcelJS from 'exceljs';
import request from 'supertest';
import type { App } from 'supertest/types';

/** GETs a binary download with a bearer token (or none), keeping the body as a Buffer. */
export function download(server: App, path: string, token?: string) {
  const get = request(server).get(path);
  if (token) get.set('authorization', `Bearer ${token}`);
  return get.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
}

/** A downloaded XLSX read back with exceljs. */
export async function workbookOf(body: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as never);
  return workbook;
}
