package search

import "math"

// Selection arithmetic, kept free of the tree so it can be table-tested.
//
// For an edge a of node s, with n(a) completed visits of mean value Q(a) and
// vl(a) playouts in flight, each in-flight playout counts as VirtualLoss
// visits of value 0 (a loss) until it is backed up:
//
//	N'(a) = n(a) + VirtualLoss·vl(a)
//	Q'(a) = n(a)·Q(a) / N'(a)                    (the first-play value if N'(a) = 0)
//	W     = Σ_b N'(b) + zero-value visits of s   (the parent's weight)
//
// PUCT:  Q'(a) + c(W)·P(a)·√(W + 0.01) / (1 + N'(a)),  c(W) = CPuct + CLog·ln((W+CBase+1)/CBase)
// UCB1:  Q'(a) + UCBC·√(ln(W + 1) / max(N'(a), 1))
//
// The 0.01 lets priors rank the edges of a node nobody has visited yet
// (KataGo's TOTALCHILDWEIGHT_PUCT_OFFSET). The first-play value of an
// unvisited edge is Q(s) − FPUReduction·√(Σ prior of visited edges)
// (KataGo's FPU): the more of the policy's mass has been tried, the less an
// untried edge is assumed to be worth.

// withVirtualLoss returns N'(a) and Q'(a); visited is false when N'(a) is 0
// and the caller must use the first-play value instead of Q'.
func withVirtualLoss(n int, q float64, vl int, vlWeight float64) (nEff, qEff float64, visited bool) {
	nEff = float64(n) + vlWeight*float64(vl)
	if nEff == 0 {
		return 0, 0, false
	}
	return nEff, float64(n) * q / nEff, true
}

// firstPlayValue is the value assumed for an unvisited edge.
func firstPlayValue(parentQ, visitedPriorMass, reduction float64) float64 {
	return parentQ - reduction*math.Sqrt(max(visitedPriorMass, 0))
}

// puctC is c(W).
func puctC(cPuct, cLog, cBase, parentWeight float64) float64 {
	if cLog == 0 {
		return cPuct
	}
	return cPuct + cLog*math.Log((parentWeight+cBase+1)/cBase)
}

// puctScore is Q' + c·P·√(W+0.01)/(1+N').
func puctScore(qEff, prior, nEff, parentWeight, c float64) float64 {
	return qEff + c*prior*math.Sqrt(parentWeight+0.01)/(1+nEff)
}

// ucb1Score is Q' + C·√(ln(W+1)/max(N',1)).
func ucb1Score(qEff, nEff, parentWeight, c float64) float64 {
	return qEff + c*math.Sqrt(math.Log(parentWeight+1)/max(nEff, 1))
}

// bestFirstPriority is the best-first rank of a node or edge reached with
// cumulative log prior logp at depth d: logp, or logp/d when normalized.
func bestFirstPriority(logp float64, depth int, normalize bool) float64 {
	if normalize && depth > 0 {
		return logp / float64(depth)
	}
	return logp
}

// logPrior is ln(prior), floored so a zero prior ranks last but stays finite.
func logPrior(prior float64) float64 {
	return math.Log(max(prior, 1e-9))
}
