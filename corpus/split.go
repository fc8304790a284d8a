package corpus

import "hash/fnv"

// Split divides theorems into a train part and a development part by a hash
// of each theorem's full name: the same theorem always lands on the same side
// whatever file or order it comes from, and no theorem's steps are split.
// devPercent is the share (0..100) sent to the development part.
func Split(ths []Theorem, devPercent int) (train, dev []Theorem) {
	for _, t := range ths {
		if IsDev(t.FullName, devPercent) {
			dev = append(dev, t)
		} else {
			train = append(train, t)
		}
	}
	return train, dev
}

// Sample keeps about percent (0..100) of ths by a hash of each theorem's
// full name, salted apart from Split's so that a sample of a train part is
// spread over it evenly. Samples are nested: every theorem of the 25%
// sample is in the 50% one. Learning curves are drawn with them.
func Sample(ths []Theorem, percent int) []Theorem {
	var out []Theorem
	for _, t := range ths {
		if IsDev(t.FullName+"#sample", percent) {
			out = append(out, t)
		}
	}
	return out
}

// IsDev reports whether the theorem named fullName belongs to the
// development part of a Split with devPercent.
func IsDev(fullName string, devPercent int) bool {
	h := fnv.New64a()
	h.Write([]byte(fullName))
	return int(h.Sum64()%100) < devPercent
}
