package corpus

import "errors"

var (
	// ErrMalformed marks a trace record that cannot be used: bad JSON, or a
	// required field missing. The wrapping error names the file and record.
	ErrMalformed = errors.New("malformed trace record")
	// ErrUnknownFormat marks a file that is neither LeanDojo JSON nor JSON lines.
	ErrUnknownFormat = errors.New("unrecognized trace file format")
	// ErrStoreInUse is returned by Open when another process holds the database.
	ErrStoreInUse = errors.New("store is in use by another process")
	// ErrSchemaVersion is returned by Open for a database written by an
	// incompatible version of this package.
	ErrSchemaVersion = errors.New("store schema version mismatch")
	// ErrStoreDamaged is returned by Open for a store file that cannot be
	// read safely, such as one shorter than its header says.
	ErrStoreDamaged = errors.New("store file is damaged")
	// ErrNotFound is returned for a run, theorem or cache entry that is absent.
	ErrNotFound = errors.New("not found")
)
