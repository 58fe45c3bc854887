/**
 * The evidence of a submitted dossier as a juror reads it: the documents (each opens in the
 * browser through the permission-checked file route), the photos (a thumbnail that is a plain link
 * to the large variant, so it works without JavaScript) and the lower-level certificate.
 */
import { DOC_TYPES } from "~/schemas/dossier";
import { formatBytes } from "~/utils/format";
import { fallbackVariant, mediaUrl, type MediaVariant } from "~/utils/media-urls";

export interface EvidenceSnapshot {
  photos?: { id: string; originalName?: string; variants?: MediaVariant[] }[];
  documents?: { id: string; docType?: string | null; originalName?: string; sizeBytes?: number }[];
  lowerCertificate?: Record<string, string> | null;
}

/**
 * The file of a variant: stored variants are named by nominal width (`key`, "1280.jpg") while
 * `width` is the real one (1200 for a photo 1200 px wide), so the key is the address when known.
 */
export function variantUrl(mediaId: string, v: MediaVariant) {
  return v.key ? `/files/${encodeURIComponent(mediaId)}/${encodeURIComponent(v.key)}` : mediaUrl(mediaId, v);
}

export function documentUrl(mediaId: string) {
  return `/files/${encodeURIComponent(mediaId)}/document`;
}

export function DossierEvidence(props: {
  snapshot: EvidenceSnapshot;
  productName: string;
  lowerCertificateCode?: string | null;
  /** Which files the viewer may still open (a juror after judging: not the documents); all by default. */
  files?: { photos: boolean; documents: boolean };
}) {
  const { photos = [], documents = [], lowerCertificate } = props.snapshot;
  const files = props.files ?? { photos: true, documents: true };
  const lc = lowerCertificate ?? null;
  const lcDescribed = lc && Object.values(lc).some((v) => v);
  return (
    <>
      <h3>Ảnh sản phẩm ({photos.length})</h3>
      {photos.length && !files.photos ? (
        <p className="hint" data-testid="evidence-photos-closed">
          Ảnh của hồ sơ chỉ mở được trong thời gian chấm và xét kết quả.
        </p>
      ) : photos.length ? (
        <ul className="evidence-photos" data-testid="evidence-photos">
          {photos.map((p, i) => {
            const thumb = fallbackVariant(p.variants ?? [], 320);
            const large = fallbackVariant(p.variants ?? [], 1280);
            if (!thumb || !large) return null;
            return (
              <li key={p.id}>
                <a href={variantUrl(p.id, large)} target="_blank" rel="noopener" title="Mở ảnh cỡ lớn">
                  <img
                    src={variantUrl(p.id, thumb)}
                    width={thumb.width}
                    height={thumb.height}
                    alt={`Ảnh sản phẩm ${props.productName} (${i + 1}/${photos.length}), mở cỡ lớn`}
                    loading="lazy"
                  />
                </a>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="hint">Hồ sơ không có ảnh.</p>
      )}
      <h3>Tài liệu ({documents.length})</h3>
      {documents.length && !files.documents ? (
        <p className="hint" data-testid="evidence-documents-closed">
          Tài liệu của hồ sơ chỉ mở được trong thời gian chấm và xét kết quả.
        </p>
      ) : null}
      {documents.length ? (
        <ul className="evidence-docs" data-testid="evidence-documents">
          {documents.map((d) => (
            <li key={d.id}>
              {files.documents ? (
                <a href={documentUrl(d.id)} target="_blank" rel="noopener">
                  {d.originalName || "Tài liệu"}
                </a>
              ) : (
                <span>{d.originalName || "Tài liệu"}</span>
              )}{" "}
              <span className="hint">
                — {DOC_TYPES[d.docType as keyof typeof DOC_TYPES] ?? "Tài liệu"}
                {d.sizeBytes ? ` (PDF, ${formatBytes(d.sizeBytes)})` : " (PDF)"}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">Hồ sơ không có tài liệu.</p>
      )}
      <h3>Giấy chứng nhận cấp dưới</h3>
      {lcDescribed || props.lowerCertificateCode ? (
        <p data-testid="evidence-lower-certificate">
          {lcDescribed ? (
            <>
              Số {lc.serial || "—"}, {lc.issuer || "—"}, năm {lc.year || "—"}
              {lc.decisionNo ? `, quyết định ${lc.decisionNo}` : ""}.{" "}
            </>
          ) : null}
          {props.lowerCertificateCode ? (
            <a href={`/verify/${encodeURIComponent(props.lowerCertificateCode)}`} target="_blank" rel="noopener">
              Xác minh giấy chứng nhận trên hệ thống
            </a>
          ) : null}
        </p>
      ) : (
        <p className="hint">Không kèm giấy chứng nhận cấp dưới (xem tài liệu nếu có bản chụp quyết định công nhận).</p>
      )}
    </>
  );
}
