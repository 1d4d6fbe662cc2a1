/** A small labelled number input, as the round settings use; the caller bounds what was typed. */
export function NumberField({
  label,
  testId,
  min,
  max,
  value,
  onChange,
}: {
  label: string
  testId: string
  min: number
  max: number
  value: number
  onChange: (typed: string) => void
}) {
  return (
    <label className="inline-label">
      <span>{label}</span>
      <input
        type="number"
        className="number-small"
        data-testid={testId}
        min={min}
        max={max}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  )
}
