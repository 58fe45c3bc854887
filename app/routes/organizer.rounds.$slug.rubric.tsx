import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";

import { ConfirmForm, FormFeedback } from "~/components/Confirm";
import { RoundNav } from "~/components/RoundNav";
import { defaultRubric, parseRubricLines, rubricToLines } from "~/models/round/rubric-rules";
import { getRubric, replaceRubric, type StoredCriterion } from "~/models/round/rubric.server";
import { STATUS_NAMES } from "~/models/round/rules";
import { canEditRubric } from "~/models/round/rules";
import { CONFIRM } from "~/utils/confirm";
import { isAppError } from "~/utils/errors";
import { formObject } from "~/utils/forms";
import { confirmationStep, formFailure, readForm, withFormErrors } from "~/utils/http.server";
import { requireOrganizerRound } from "~/utils/round-guard.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Thang điểm — CNNT Tiêu biểu" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round } = await requireOrganizerRound(request, params.slug, "round:manage");
  const rubric = await getRubric(round.id);
  return json({
    round: { slug: round.slug, title: round.title, statusName: STATUS_NAMES[round.status] },
    rubric,
    lines: rubricToLines(rubric),
    editable: canEditRubric(round),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, round } = await requireOrganizerRound(request, params.slug, "round:manage");
  const formData = await readForm(request);
  const form = formObject(formData);
  return withFormErrors(async () => {
    if (form.intent === "reset") {
      const step = confirmationStep(formData, CONFIRM.resetRubric);
      if (step) return step;
      await replaceRubric({ roundId: round.id, actorId: user.id, tree: defaultRubric() });
      return redirectWithToast(samePage(request), { message: "Đã khôi phục thang điểm mặc định." });
    }
    if (form.intent === "save") {
      const typed = String(form.lines ?? "").slice(0, 20_000);
      const { tree, errors } = parseRubricLines(typed);
      if (errors.length) return formFailure(400, errors.join(" "), { lines: errors[0] }, { lines: typed });
      try {
        await replaceRubric({ roundId: round.id, actorId: user.id, tree });
      } catch (error) {
        // A rule of the model (sums, frozen rubric): the page comes back with what was typed.
        if (isAppError(error)) return formFailure(error.status, error.message, { lines: error.message, ...error.fields }, { lines: typed });
        throw error;
      }
      return redirectWithToast(samePage(request), { message: "Đã lưu thang điểm." });
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
  const { round, rubric, lines, editable } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <RoundNav slug={round.slug} title={round.title} status={round.statusName} />
      <FormFeedback result={result} />
      <section className="card">
        <h2>Thang điểm (100 điểm)</h2>
        <p className="hint">
          Bốn nhóm tiêu chí và điểm tối đa 40/40/10/10 do Thông tư quy định; tiêu chí con và điểm của chúng do Hội đồng quyết
          định, tổng phải bằng điểm của tiêu chí cha. Thang điểm được chốt khi bắt đầu chấm điểm.
        </p>
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
          <h2>Sửa thang điểm</h2>
          <Form method="post" className="stack" style={{ maxWidth: "60rem" }}>
            <input type="hidden" name="intent" value="save" />
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
                Lưu thang điểm
              </button>
            </div>
          </Form>
          <ConfirmForm method="post" style={{ marginTop: ".75rem" }} confirm={CONFIRM.resetRubric}>
            <input type="hidden" name="intent" value="reset" />
            <button className="btn secondary small" type="submit">
              Khôi phục mặc định
            </button>
          </ConfirmForm>
        </section>
      ) : (
        <p className="alert info">Thang điểm đã được chốt.</p>
      )}
    </>
  );
}
