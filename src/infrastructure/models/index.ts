// Models: loading a model URI through the flavor loaders.
export { ModelLoader, type ModelLoaderOptions } from './model-loader';
