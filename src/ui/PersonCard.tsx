/**
 * One gallery person: name (rename in place), the faces that enrol them, the photos still being
 * analysed or that could not be used, a face picker for photos with several faces, and removal.
 */
import { memo, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { samplesOf } from '../state/gallery.ts';
import { isInFlight, type Photo } from '../state/photo.ts';
import { useSession } from '../state/session-store.ts';
import { DropZone } from './DropZone.tsx';
import { FaceCropImage } from './FaceCropImage.tsx';
import { plural } from './format.ts';
import { PersonIcon, PhotosIcon } from './icons.tsx';
import { PhotoStatusLine } from './PhotoStatusLine.tsx';

export const PersonCard = memo(function PersonCard({ id }: { id: string }) {
  const person = useSession((s) => s.people.find((p) => p.id === id));
  const photos = useSession((s) => s.photos);
  const embedder = useSession((s) => s.embedder);
  const { addPhotos, renamePerson, removePerson, pickFace, removePhoto } = useSession(
    useShallow((s) => ({
      addPhotos: s.addPhotos,
      renamePerson: s.renamePerson,
      removePerson: s.removePerson,
      pickFace: s.pickFace,
      removePhoto: s.removePhoto,
    })),
  );
  const [editing, setEditing] = useState(false);
  const nameId = useId();
  if (person === undefined) return null;

  const { samples, needsPick } = samplesOf(person, photos, embedder);
  const enrolPhotos = person.photoIds.flatMap((pid) => photos[pid] ?? []);
  const working = enrolPhotos.filter((p) => isInFlight(p.status));
  const unusable = enrolPhotos.filter(
    (p) => p.status.kind === 'failed' || (p.status.kind === 'done' && p.status.result.faces.length === 0),
  );
  const staleStored = person.stored.filter((s) => s.model !== embedder).length;

  return (
    <li
      className="card person-card"
      data-testid="person"
      data-name={person.name}
      data-samples={samples.length}
    >
      <header className="person-head">
        <span className="avatar" aria-hidden="true">
          {samples[0]?.crop ? <FaceCropImage crop={samples[0].crop} label="" /> : <PersonIcon />}
        </span>
        {editing ? (
          <form
            className="rename-form"
            onSubmit={(e) => {
              e.preventDefault();
              const value = new FormData(e.currentTarget).get('name');
              if (typeof value === 'string') renamePerson(id, value);
              setEditing(false);
            }}
          >
            <label htmlFor={nameId} className="visually-hidden">
              New name for {person.name}
            </label>
            <input
              id={nameId}
              name="name"
              defaultValue={person.name}
              maxLength={80}
              // biome-ignore lint/a11y/noAutofocus: the user just asked to rename; focus belongs in the field
              autoFocus
              onKeyDown={(e) => {
                if (e.key === 'Escape') setEditing(false);
              }}
            />
            <button type="submit" className="button small">
              Save
            </button>
          </form>
        ) : (
          <div className="person-title">
            <h3>{person.name}</h3>
            <span className="muted small">{plural(samples.length, 'face')} enrolled</span>
          </div>
        )}
        {!editing && (
          <div className="person-actions">
            <button
              type="button"
              className="link-button"
              onClick={() => setEditing(true)}
              aria-label={`Rename ${person.name}`}
            >
              Rename
            </button>
            <button
              type="button"
              className="link-button danger"
              onClick={() => removePerson(id)}
              aria-label={`Remove ${person.name}`}
            >
              Remove
            </button>
          </div>
        )}
      </header>

      {samples.length > 0 && (
        <ul className="sample-list" aria-label={`Enrolled faces of ${person.name}`}>
          {samples.map((s) => (
            <li key={s.key} title={s.source}>
              {s.crop !== null ? (
                <FaceCropImage crop={s.crop} label={`${person.name}, from ${s.source}`} />
              ) : (
                <span
                  className="stored-sample"
                  role="img"
                  aria-label={`${person.name}, from the saved gallery`}
                >
                  <PersonIcon />
                </span>
              )}
            </li>
          ))}
        </ul>
      )}

      {needsPick.map((photo) => (
        <FacePicker
          key={photo.id}
          photo={photo}
          name={person.name}
          onPick={(face) => pickFace(id, photo.id, face)}
          onSkip={() => removePhoto(photo.id)}
        />
      ))}
      {working.length > 0 && (
        <p className="status-line working">
          <span className="spinner" aria-hidden="true" /> Analysing {plural(working.length, 'photo')}…
        </p>
      )}
      {unusable.map((photo) => (
        <div key={photo.id} className="unusable">
          <span className="file-name">{photo.name}</span>
          <PhotoStatusLine photo={photo} />
          <button type="button" className="link-button" onClick={() => removePhoto(photo.id)}>
            Dismiss
          </button>
        </div>
      ))}
      {staleStored > 0 && (
        <p className="muted small">
          {plural(staleStored, 'saved face')} belong to another model and are not used with this one.
        </p>
      )}

      <DropZone
        title={`Add photos of ${person.name}`}
        hint="Drop, paste or press Enter. Each face found enrols them."
        onFiles={(files) => addPhotos('enrol', files, id)}
        testId="enrol"
        icon={<PhotosIcon />}
        folders={false}
        compact
      />
    </li>
  );
});

function FacePicker({
  photo,
  name,
  onPick,
  onSkip,
}: {
  photo: Photo;
  name: string;
  onPick: (face: number) => void;
  onSkip: () => void;
}) {
  if (photo.status.kind !== 'done') return null;
  const { faces } = photo.status.result;
  return (
    <fieldset className="face-picker">
      <legend>
        {photo.name} has {faces.length} faces. Which one is {name}?
      </legend>
      <div className="face-picker-options">
        {faces.map((face, i) => (
          <button
            // biome-ignore lint/suspicious/noArrayIndexKey: faces of one result never reorder
            key={i}
            type="button"
            className="face-option"
            onClick={() => onPick(i)}
            aria-label={`Face ${i + 1}`}
            data-testid="pick-face"
          >
            <FaceCropImage crop={face.crop} label="" />
          </button>
        ))}
        <button type="button" className="link-button" onClick={onSkip}>
          None of them
        </button>
      </div>
    </fieldset>
  );
}
