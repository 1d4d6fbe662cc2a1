/**
 * The open-round dialog's kind-specific part, read from the registry (issue #11 point 9): each
 * kind's settings form, its defaults and what it sends. The dialog keeps a draft per kind, so
 * switching kinds and back keeps what was typed.
 */
import type { KindConfig } from '../../../shared/vote-kinds/index.ts'
import type { VoteKind } from '../../../shared/vote-kinds/kind.ts'
import type { Lang } from '../../i18n/index.ts'
import { CLIENT_KINDS, CLIENT_KIND_LIST } from './index.ts'
import type { KindRequest } from './kind.ts'

export type SettingsDrafts = { [K in VoteKind]: KindConfig<K> }

/** A request's kind and that kind's fields, for any kind. */
export type KindPart = { [K in VoteKind]: { kind: K } & KindRequest<K> }[VoteKind]

export function initialSettings(lang: Lang): SettingsDrafts {
  // one entry per kind of the registry (the mapped type names them all)
  return Object.fromEntries(
    CLIENT_KIND_LIST.map((k) => [k, CLIENT_KINDS[k].settings.initial(lang)]),
  ) as SettingsDrafts
}

export function KindSettingsForm<K extends VoteKind>({
  kind,
  drafts,
  onChange,
}: {
  kind: K
  drafts: SettingsDrafts
  onChange(next: SettingsDrafts): void
}) {
  const { Form } = CLIENT_KINDS[kind].settings
  return <Form value={drafts[kind]} onChange={(v) => onChange({ ...drafts, [kind]: v })} />
}

/** What the kind sends to open its round, from its draft. */
export function kindRequest<K extends VoteKind>(kind: K, drafts: SettingsDrafts): KindPart {
  return { kind, ...CLIENT_KINDS[kind].settings.request(drafts[kind]) } as KindPart
}
