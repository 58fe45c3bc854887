import { Form } from "@remix-run/react";

import { PERIOD_CHOICES, periodLabel } from "~/models/programme/rules";

/** Year and period (cumulative months) of the programme figures, as a GET form that works without JavaScript. */
export function PeriodPicker({ year, periodMonths }: { year: number; periodMonths: number }) {
  return (
    <Form method="get" className="card actions">
      <label htmlFor="year" style={{ margin: 0 }}>
        Năm
      </label>
      <input id="year" name="year" type="number" min={2000} max={2100} defaultValue={year} style={{ width: "6.5rem" }} />
      <label htmlFor="period" style={{ margin: 0 }}>
        Kỳ
      </label>
      <select id="period" name="period" defaultValue={periodMonths}>
        {PERIOD_CHOICES.map((m) => (
          <option key={m} value={m}>
            {periodLabel(m)}
          </option>
        ))}
      </select>
      <button className="btn small secondary" type="submit">
        Xem
      </button>
    </Form>
  );
}
