/**
 * Tiny PDFs written by hand for the tests: each page is one JPEG drawn over the whole page (a DCTDecode
 * image XObject), which is what a scanner's or a phone app's "scan to PDF" makes. Real PDF syntax with a
 * correct cross-reference table, so pdf.js reads it without having to repair anything.
 */
import sharp from 'sharp';

/**
 * One page per JPEG, at `dpi` (the page's size in points follows from the picture's pixels). `icc`: the
 * RGB pages' colour space is that ICC profile (an ICCBased stream, as scanners with colour management
 * write), which pdf.js reads with its qcms WebAssembly module.
 */
export async function jpegPagesPdf(jpegs: readonly Buffer[], dpi = 300, icc?: Buffer): Promise<Buffer> {
  const objects: Buffer[] = [];
  const pageIds: number[] = [];
  // 1: catalog, 2: page tree, 3: the ICC profile (if any); then per page: page, content stream, image.
  if (icc !== undefined) objects.push(Buffer.concat([Buffer.from(`<< /N 3 /Length ${icc.length} >>\nstream\n`), icc, Buffer.from('\nendstream')]));
  for (const jpeg of jpegs) {
    const meta = await sharp(jpeg).metadata();
    if (meta.format !== 'jpeg' || meta.width === undefined || meta.height === undefined) throw new Error('jpegPagesPdf: not a JPEG');
    const colour = meta.channels === 1 ? '/DeviceGray' : meta.channels === 4 ? '/DeviceCMYK' : icc !== undefined ? '[/ICCBased 3 0 R]' : '/DeviceRGB';
    const [w, h] = [(meta.width * 72) / dpi, (meta.height * 72) / dpi].map((v) => Number(v.toFixed(2)));
    const id = 3 + objects.length;
    pageIds.push(id);
    const content = `q ${w} 0 0 ${h} 0 0 cm /Im0 Do Q`;
    objects.push(Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /XObject << /Im0 ${id + 2} 0 R >> >> /Contents ${id + 1} 0 R >>`));
    objects.push(Buffer.from(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`));
    objects.push(
      Buffer.concat([
        Buffer.from(`<< /Type /XObject /Subtype /Image /Width ${meta.width} /Height ${meta.height} /ColorSpace ${colour} /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`),
        jpeg,
        Buffer.from('\nendstream'),
      ]),
    );
  }
  const all = [Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'), Buffer.from(`<< /Type /Pages /Kids [${pageIds.map((i) => `${i} 0 R`).join(' ')}] /Count ${pageIds.length} >>`), ...objects];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  all.forEach((body, i) => {
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    offsets.push(offset);
    offset += obj.length;
    parts.push(obj);
  });
  const xref = ['xref', `0 ${all.length + 1}`, '0000000000 65535 f ', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `)].join('\n');
  parts.push(Buffer.from(`${xref}\ntrailer\n<< /Size ${all.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`));
  return Buffer.concat(parts);
}
