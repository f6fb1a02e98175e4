// The mlflow.source.* tags of a run: source name and type, and the git state of the work tree.
export { readGitInfo, stripCredentials, type GitInfo } from './git-info';
export { detectRunSource, type RunSourceOptions, type RunSourceType } from './run-source';
