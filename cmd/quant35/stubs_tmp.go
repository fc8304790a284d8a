package main

import "context"

func runSize(ctx context.Context, e *env, args []string) error   { return usagef("not yet") }
func runEval(ctx context.Context, e *env, args []string) error   { return usagef("not yet") }
func runPack(ctx context.Context, e *env, args []string) error   { return usagef("not yet") }
func runUnpack(ctx context.Context, e *env, args []string) error { return usagef("not yet") }
