package search

import "fmt"

// Text forms, so Params, Stats and Results read well in JSON manifests and
// reports ("mode": "mcts" rather than 0).

// MarshalText returns the mode's name.
func (m Mode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText parses a mode name (see ParseMode).
func (m *Mode) UnmarshalText(b []byte) error {
	v, err := ParseMode(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// MarshalText returns the selection rule's name.
func (s Selection) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses a selection rule name (see ParseSelection).
func (s *Selection) UnmarshalText(b []byte) error {
	v, err := ParseSelection(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// MarshalText returns the stop reason's name.
func (r StopReason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText parses a stop reason's name.
func (r *StopReason) UnmarshalText(b []byte) error {
	for i, name := range stopNames {
		if name == string(b) {
			*r = StopReason(i)
			return nil
		}
	}
	return fmt.Errorf("unknown stop reason %q (want one of %q)", b, stopNames)
}
