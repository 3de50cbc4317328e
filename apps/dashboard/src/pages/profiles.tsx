import { useState } from 'preact/hooks';
import { api } from '../api';
import type { Profile } from '../model';
import { loadProfiles, useLive } from '../store';
import { ErrorBox, PageHeader } from '../ui';

interface Draft {
  name: string;
  min: string;
  max: string;
  rules: string;
}

const draftOf = (p?: Profile): Draft => ({
  name: p?.name ?? '',
  min: p ? String(p.temperature.min) : '2',
  max: p ? String(p.temperature.max) : '8',
  rules: p?.rules ? JSON.stringify(p.rules, null, 2) : '',
});

/**
 * Profiles: name and band in a form, the alarm rules as JSON. The API
 * validates on save (validateProfile) and answers 400 with every problem,
 * shown under the form; each save is a new version.
 */
export function ProfilesPage() {
  const live = useLive();
  const [selected, setSelected] = useState<string>(); // a profile id, or 'new'
  const profile = live.profiles.find((p) => p.id === selected);
  const [draft, setDraft] = useState<Draft>(draftOf());
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<string>();
  // The draft is seeded in the same update that opens the editor, and only when
  // another profile is chosen (not when the list reloads). Seeded in an effect,
  // which runs after the next paint, it overwrote what was typed in between.
  const choose = (id: string) => {
    if (id === selected) return;
    setSelected(id);
    setDraft(draftOf(live.profiles.find((p) => p.id === id)));
    setError(undefined);
    setSaved(undefined);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setSaved(undefined);
    let rules: unknown;
    if (draft.rules.trim()) {
      try {
        rules = JSON.parse(draft.rules);
      } catch (err) {
        setError(new Error(`rules: not JSON (${(err as Error).message})`));
        return;
      }
    }
    const body = {
      name: draft.name,
      temperature: { min: Number(draft.min), max: Number(draft.max) },
      ...(rules === undefined ? {} : { rules }),
    };
    try {
      const p =
        selected === 'new' || !profile
          ? await api<Profile>('POST', '/api/v1/profiles', body)
          : await api<Profile>('PUT', `/api/v1/profiles/${encodeURIComponent(profile.id)}`, body);
      await loadProfiles();
      setSelected(p.id);
      setSaved(`Saved ${p.name}, version ${p.version}.`);
    } catch (err) {
      setError(err);
    }
  };
  const field = (k: keyof Draft) => ({
    value: draft[k],
    onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => {
      const value = e.currentTarget.value;
      // From the latest draft, not this render's: two inputs before a re-render both count.
      setDraft((d) => ({ ...d, [k]: value }));
    },
  });

  return (
    <section>
      <PageHeader title="Profiles" />
      <div class="split">
        <nav aria-label="Profiles">
          <ul class="plain">
            {live.profiles.map((p) => (
              <li key={p.id}>
                <button type="button" aria-pressed={selected === p.id} onClick={() => choose(p.id)}>
                  {p.name} <span class="muted">v{p.version}</span>
                </button>
              </li>
            ))}
            <li>
              <button type="button" aria-pressed={selected === 'new'} onClick={() => choose('new')}>
                + New profile
              </button>
            </li>
          </ul>
        </nav>
        {selected !== undefined && (
          <form class="card wide" onSubmit={(e) => void save(e)} aria-label="Profile editor">
            <h2>{selected === 'new' ? 'New profile' : `Edit ${profile?.name ?? ''}`}</h2>
            <label>
              Name
              <input name="name" required {...field('name')} />
            </label>
            <div class="row">
              <label>
                Minimum °C
                <input name="min" type="number" step="0.1" required {...field('min')} />
              </label>
              <label>
                Maximum °C
                <input name="max" type="number" step="0.1" required {...field('max')} />
              </label>
            </div>
            <label>
              Alarm rules (JSON, optional; see docs/alarm-engine.md)
              <textarea name="rules" rows={12} class="mono" spellcheck={false} {...field('rules')} />
            </label>
            {error !== undefined && <ErrorBox error={error} />}
            {saved && (
              <p class="ok" role="status">
                {saved}
              </p>
            )}
            <button type="submit" class="primary">
              Save
            </button>
          </form>
        )}
      </div>
    </section>
  );
}
