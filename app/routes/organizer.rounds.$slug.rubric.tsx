import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { z } from "zod";

import { ConfirmForm, FormFeedback } from "~/components/Confirm";
import { RoundNav } from "~/components/RoundNav";
import { defaultRubric, parseRubricLines, rubricToLines } from "~/models/round/rubric-rules";
import {
  clearGroupRubric,
  getRubric,
  getRubricForGroup,
  groupsWithOwnRubric,
  replaceRubric,
  type StoredCriterion,
} from "~/models/round/rubric.server";
import { STATUS_NAMES } from "~/models/round/rules";
import { canEditRubric } from "~/models/round/rules";
import { listProductGroups } from "~/models/shared/reference.server";
import { CONFIRM } from "~/utils/confirm";
import { isAppError } from "~/utils/errors";
import { formObject } from "~/utils/forms";
import { confirmationStep, formFailure, readForm, withFormErrors } from "~/utils/http.server";
import { requireOrganizerRound } from "~/utils/round-guard.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Thang điểm — CNNT Tiêu biểu" }];

/** The product group whose own sub-criteria are shown or edited: none (the default set) or 1–4. */
const groupField = z
  .union([z.literal(""), z.coerce.number().int().min(1).max(9)])
  .optional()
  .transform((v) => (v === "" || v === undefined ? null : v));

async function groupOf(raw: unknown) {
  const parsed = groupField.safeParse(raw ?? undefined);
  if (!parsed.success) return { error: "Nhóm sản phẩm không hợp lệ." };
  const groups = await listProductGroups();
  if (parsed.data !== null && !groups.some((g) => g.no === parsed.data)) return { error: "Nhóm sản phẩm không tồn tại." };
  return { group: parsed.data, groups };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round } = await requireOrganizerRound(request, params.slug, "round:manage");
  const chosen = await groupOf(new URL(request.url).searchParams.get("group"));
  // An unknown group in the address shows the default set (the selector offers only real groups).
  const group = "error" in chosen ? null : (chosen.group ?? null);
  const [groups, own, selected] = await Promise.all([
    listProductGroups(),
    groupsWithOwnRubric(round.id),
    group === null ? getRubric(round.id).then((rubric) => ({ rubric, own: false })) : getRubricForGroup(round.id, group),
  ]);
  return json({
    round: { slug: round.slug, title: round.title, statusName: STATUS_NAMES[round.status] },
    groups: groups.map((g) => ({ no: g.no, name: g.name, own: own.includes(g.no) })),
    group,
    ownSet: selected.own,
    rubric: selected.rubric,
    lines: rubricToLines(selected.rubric),
    editable: canEditRubric(round),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, round } = await requireOrganizerRound(request, params.slug, "round:manage");
  const formData = await readForm(request);
  const form = formObject(formData);
  return withFormErrors(async () => {
    const chosen = await groupOf(form.group);
    if ("error" in chosen) return formFailure(400, chosen.error ?? "", { group: chosen.error ?? "" });
    const { group } = chosen;
    const url = new URL(request.url);
    url.searchParams.delete("group");
    if (group !== null) url.searchParams.set("group", String(group));
    const back = samePage(new Request(url));
    if (form.intent === "reset") {
      if (group !== null) {
        const step = confirmationStep(formData, CONFIRM.clearGroupRubric);
        if (step) return step;
        await clearGroupRubric({ roundId: round.id, actorId: user.id, groupNo: group });
        return redirectWithToast(back, { message: `Nhóm ${group} dùng lại thang điểm chung của đợt.` });
      }
      const step = confirmationStep(formData, CONFIRM.resetRubric);
      if (step) return step;
      await replaceRubric({ roundId: round.id, actorId: user.id, tree: defaultRubric() });
      return redirectWithToast(back, { message: "Đã khôi phục thang điểm mặc định." });
    }
    if (form.intent === "save") {
      const typed = String(form.lines ?? "").slice(0, 20_000);
      const { tree, errors } = parseRubricLines(typed);
      if (errors.length) return formFailure(400, errors.join(" "), { lines: errors[0] }, { lines: typed });
      try {
        await replaceRubric({ roundId: round.id, actorId: user.id, tree, groupNo: group });
      } catch (error) {
        // A rule of the model (sums, frozen rubric): the page comes back with what was typed.
        if (isAppError(error))
          return formFailure(error.status, error.message, { lines: error.message, ...error.fields }, { lines: typed });
        throw error;
      }
      return redirectWithToast(back, {
        message: group === null ? "Đã lưu thang điểm." : `Đã lưu tiêu chí con riêng của nhóm ${group}.`,
      });
    }
    return formFailure(400, "Thao tác không hợp lệ.");
  });
}

function Rows({ nodes, depth }: { nodes: StoredCriterion[]; depth: number }) {
  return (
    <>
      {nodes.map((n) => (
        <Fragment key={n.id}>
          <tr>
            <td style={{ paddingLeft: `${depth * 1.25 + 0.5}rem`, fontWeight: depth === 0 ? 700 : 400 }}>
              {n.code}. {n.name}
            </td>
            <td className="num">{String(n.maxPoints).replace(".", ",")}</td>
            <td>{n.children.length ? "" : "chấm điểm"}</td>
          </tr>
          <Rows nodes={n.children} depth={depth + 1} />
        </Fragment>
      ))}
    </>
  );
}

export default function RubricPage() {
  const { round, groups, group, ownSet, rubric, lines, editable } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const current = groups.find((g) => g.no === group);
  return (
    <>
      <RoundNav slug={round.slug} title={round.title} status={round.statusName} />
      <FormFeedback result={result} />
      <section className="card">
        <h2>Thang điểm (100 điểm)</h2>
        <p className="hint">
          Bốn nhóm tiêu chí và điểm tối đa 40/40/10/10 do Thông tư quy định; tiêu chí con và điểm của chúng do Hội đồng quyết
          định, tổng phải bằng điểm của tiêu chí cha. Mỗi nhóm sản phẩm có thể có tiêu chí con riêng (vẫn 40/40/10/10); nhóm không
          có thì dùng thang điểm chung. Thang điểm được chốt khi bắt đầu chấm điểm.
        </p>
        <Form method="get" className="actions" aria-label="Chọn nhóm sản phẩm">
          <label htmlFor="group">Thang điểm của</label>
          <select id="group" name="group" defaultValue={group ?? ""}>
            <option value="">Thang điểm chung của đợt</option>
            {groups.map((g) => (
              <option key={g.no} value={g.no}>
                Nhóm {g.no}: {g.name}
                {g.own ? " (tiêu chí con riêng)" : ""}
              </option>
            ))}
          </select>
          <button className="btn secondary small" type="submit">
            Xem
          </button>
        </Form>
        {current ? (
          <p className="alert info">
            {ownSet
              ? `Nhóm ${current.no} (${current.name}) có tiêu chí con riêng; hồ sơ của nhóm được chấm theo thang điểm này.`
              : `Nhóm ${current.no} (${current.name}) chưa có tiêu chí con riêng và dùng thang điểm chung dưới đây.`}
          </p>
        ) : null}
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tiêu chí</th>
                <th scope="col" className="num">
                  Điểm tối đa
                </th>
                <th scope="col">Ghi chú</th>
              </tr>
            </thead>
            <tbody>
              <Rows nodes={rubric} depth={0} />
            </tbody>
          </table>
        </div>
      </section>
      {editable ? (
        <section className="card">
          <h2>{current ? `Tiêu chí con riêng của nhóm ${current.no}` : "Sửa thang điểm chung"}</h2>
          <Form method="post" className="stack" style={{ maxWidth: "60rem" }}>
            <input type="hidden" name="intent" value="save" />
            <input type="hidden" name="group" value={group ?? ""} />
            <label htmlFor="lines">Mỗi dòng một tiêu chí: mã | tên | điểm tối đa (mã con bắt đầu bằng mã cha, ví dụ 1.2.a)</label>
            <textarea
              id="lines"
              name="lines"
              rows={30}
              defaultValue={result && "values" in result ? (result.values?.lines ?? lines) : lines}
              style={{ fontFamily: "monospace", width: "100%" }}
              aria-invalid={result && "fields" in result && result.fields.lines ? true : undefined}
            />
            <div className="actions">
              <button className="btn" type="submit">
                {current ? `Lưu tiêu chí con riêng của nhóm ${current.no}` : "Lưu thang điểm"}
              </button>
            </div>
          </Form>
          {current && !ownSet ? null : (
            <ConfirmForm
              method="post"
              style={{ marginTop: ".75rem" }}
              confirm={current ? CONFIRM.clearGroupRubric : CONFIRM.resetRubric}
            >
              <input type="hidden" name="intent" value="reset" />
              <input type="hidden" name="group" value={group ?? ""} />
              <button className="btn secondary small" type="submit">
                {current ? "Dùng thang điểm chung" : "Khôi phục mặc định"}
              </button>
            </ConfirmForm>
          )}
        </section>
      ) : (
        <p className="alert info">Thang điểm đã được chốt.</p>
      )}
    </>
  );
}
