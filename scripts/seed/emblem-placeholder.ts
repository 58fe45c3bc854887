/**
 * A neutral placeholder for an issuer's emblem (demo data and tests): concentric gold rings and a
 * plain lozenge, deliberately not the national emblem, drawn by sharp from an SVG.
 */
import sharp from "sharp";

export async function placeholderEmblemPng(size = 320): Promise<Buffer> {
  const c = size / 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
    <circle cx="${c}" cy="${c}" r="${c - 6}" fill="#fff7e0" stroke="#b3862a" stroke-width="10"/>
    <circle cx="${c}" cy="${c}" r="${c - 34}" fill="none" stroke="#b3862a" stroke-width="4" stroke-dasharray="10 8"/>
    <path d="M ${c} ${c - 70} L ${c + 52} ${c} L ${c} ${c + 70} L ${c - 52} ${c} Z" fill="#9a9a9a"/>
    <circle cx="${c}" cy="${c}" r="16" fill="#fff7e0"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
